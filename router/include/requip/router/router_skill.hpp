#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "requip/core/routing.hpp"
#include "requip/core/skill.hpp"
#include "requip/core/skill_factory.hpp"
#include "requip/router/message.hpp"
#include "requip/router/router_model.hpp"
#include "requip/router/session_state.hpp"
#include "requip/router/stored_conversation.hpp"

namespace requip::router {

struct RouterSkillOptions {
  std::string name = "router";
  // Written into the feedback log; empty means the user of the conversation it serves.
  std::string session;
  std::string description = "picks the skill for each input and learns from feedback";
  // Skills this router chooses among; empty means every skill of the brain.
  std::vector<std::string> scope;
  // Utterances another router learns to hand over to this one ("requip the requipper").
  std::vector<std::string> examples;
  // Each conversation's state is kept in the user's memory, so that a turn served by another
  // process on the same store continues it. A conversation quiet for longer than this starts
  // over instead.
  std::chrono::seconds resume_within{30 * 60};
};

// How the last input was routed, for /why: the Routing a Reply carries, with the stored
// mapping (its skill's version included) and the feedback entries themselves.
struct RoutingExplanation {
  Routing routing;
  std::optional<memory::Mapping> mapping;
  std::vector<memory::FeedbackEntry> feedback;  // what changed the mapping for this key
};

// The router as a skill of the aware kind: it sees each input first and equips, routes,
// answers, asks, or learns. One instance serves one conversation; the RouterModel behind it
// is shared, so what one conversation teaches, every conversation knows, while each one's
// previous answer, equipped skill and rejections stay its own. router_factory() makes one
// per conversation of an agent. That state, with the question a skill waits on an answer to,
// is written to the user's memory when it changes and read back before each turn, so
// replicas on one store can take turns serving a user.
class RouterSkill : public Skill {
 public:
  explicit RouterSkill(std::shared_ptr<RouterModel> model, RouterSkillOptions options = {});

  std::string name() const override { return options_.name; }
  std::string description() const override { return options_.description; }
  SkillKind kind() const override { return SkillKind::aware; }
  std::vector<std::string> examples() const override { return options_.examples; }

  void perceive(Turn& turn) override;
  void on_attach() override;
  // Routes this turn: what perceive does unless another router got there first. A parent
  // router calls it to hand a turn over.
  void route(Turn& turn);

  // The last routing decision, explained in lines: scores, the mapping used, the feedback
  // that made it.
  std::vector<std::string> why() const;
  // Forgets the mapping and this session's rejections for a key. True if a mapping existed.
  bool forget(std::string_view text);
  // Equips a skill for this session by name, as "please" does by example. The caller checks
  // that the brain has it; a name the router cannot choose is ignored when routing.
  void equip(const std::string& skill);
  // Lets go of the equipped skill, as a release phrase ("never mind") does, and drops a
  // skill's question waiting for an answer; returns the skill's name, empty when none was
  // equipped.
  std::string unequip();
  // The last routing decision as data.
  const RoutingExplanation& explanation() const { return last_; }

  const SessionState& session() const { return session_; }
  const std::shared_ptr<RouterModel>& model() const { return model_; }

 private:
  void refresh(Turn& turn);
  // Offers the input to the skill that asked for it; true if it took it as its answer.
  bool answered_follow_up(Turn& turn, const Message& message);
  void decide(Turn& turn, const Message& message);
  void plain(Turn& turn, const std::string& text, const std::string& key);
  void request(Turn& turn, const std::string& key);
  void feedback(Turn& turn, const Message& message);
  // The log's entry for `message` judging `skill`'s answer to `key` in this conversation.
  memory::FeedbackEntry judgement(const std::string& key, const Message& message,
                                  const std::string& skill) const;
  bool resolve(Turn& turn, const Message& message);
  void requip(Turn& turn, const PreviousAnswer& previous, const Message& complaint);
  // Has the skill answer the text here and remembers it answered this turn.
  void send(Turn& turn, const std::string& skill, const std::string& key, const std::string& text);
  // Offers the input to the skills in order; the first that answers is remembered.
  void offer(Turn& turn, std::vector<std::string> order, const std::string& key,
             const std::string& text);
  void fallback(Turn& turn);
  Algorithm fallback_answer() const;
  std::optional<std::string> mapped_skill(const std::string& key);
  void explain(std::string source, const std::string& text, const std::string& key,
               const std::string& skill, const Ranking* ranking);
  // The mapping and feedback stored for the key, read again after feedback changed them.
  void reread_stored(const std::string& key);
  // Takes the conversation's state, and the question waiting in it, from the store when
  // another process moved it on.
  void resume(Turn& turn);
  // Stores the conversation's state if it changed, between turns; a turn stores it once it
  // has settled.
  void keep();

  std::shared_ptr<RouterModel> model_;
  RouterSkillOptions options_;
  MessageClassifier classifier_;
  SessionState session_;
  std::vector<std::string> loaded_;  // names the router may choose, as last seen in the brain
  GateModel::Mask mask_;
  RoutingExplanation last_;
  StoredConversation stored_;
};

// A router per conversation of an agent, all over one model.
SkillFactory router_factory(std::shared_ptr<RouterModel> model, RouterSkillOptions options = {});

}  // namespace requip::router

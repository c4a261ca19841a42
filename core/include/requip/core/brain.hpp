#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "requip/core/agent.hpp"
#include "requip/core/dispatcher.hpp"
#include "requip/core/kokoro.hpp"
#include "requip/core/reply.hpp"
#include "requip/core/skill.hpp"

namespace requip {

// One line of output as it is made.
struct Output {
  std::string line;
  std::string skill;
};

// One conversation: its own dispatcher, Kokoro (emotion, heart, the user's memory) and skill
// instances, made from its agent's factories when the conversation first needs each. A turn
// runs the input and every step it starts; a change to the agent's skills reaches the
// conversation at its next turn boundary, each replaced instance handing its state over.
// A Brain is not thread-safe: run one turn of a conversation at a time. Brains of one agent
// run in parallel.
class Brain {
 public:
  using Sink = std::function<void(const Output&)>;
  static constexpr std::string_view local_user = "local";

  // A conversation of `agent` for `user`, whose memory is the user's own.
  Brain(std::shared_ptr<Agent> agent, std::string user);
  // A conversation with an agent of its own, its skills added here: one bot, one user.
  explicit Brain(std::shared_ptr<Memento> memento = nullptr, BrainOptions options = {});
  Brain(const Brain&) = delete;
  Brain& operator=(const Brain&) = delete;
  ~Brain();

  // Attaches an instance to this conversation only, above the agent's skills. One with the
  // same name is replaced, its state handed over. During a turn the change waits for its end.
  void add(std::shared_ptr<Skill> skill);
  // Detaches a skill added here, deferred like add(). Unknown names are ignored.
  void remove(std::string_view name);

  // This conversation's instance of the named skill, made on first use; a null skill if
  // there is no such skill or it cannot be made.
  std::shared_ptr<Skill> skill(std::string_view name);
  bool has(std::string_view name) const;
  // What this conversation can use, in the order skills see input.
  std::vector<std::shared_ptr<const SkillFactory>> skills() const;

  // One turn: the input, then every step of the algorithms it started, in order of urgency.
  // Each line also goes to `on_line` as its step runs.
  Reply converse(std::string_view text, const Sink& on_line = {});
  Reply converse(const Stimulus& stimulus, const Sink& on_line = {});
  // Between turns: continuous skills (timers, reminders) may act, and what they start runs
  // to its end.
  Reply tick(const Sink& on_line = {});

  // The skill a turn is inside now, empty between calls. Callable from any thread: what a
  // watchdog names when a turn outlives its deadline.
  std::string running() const;

  Kokoro& kokoro() { return kokoro_; }
  const BrainOptions& options() const { return agent_->options(); }
  const std::string& user() const { return kokoro_.user(); }
  const std::shared_ptr<Agent>& agent() const { return agent_; }

 private:
  struct Slot {
    std::shared_ptr<const SkillFactory> factory;
    std::shared_ptr<Skill> instance;  // null until the conversation first needs it
  };
  struct Change {
    std::shared_ptr<Skill> added;  // null for a removal
    std::string removed;
  };

  void apply(Change change);
  // Brings the slots in line with the agent's catalog and this conversation's own skills.
  void follow_catalog(Reply& reply);
  Skill* instance(Slot& slot, Reply* reply);
  void retire(Slot& slot);
  void offer(const Stimulus& stimulus, Reply& reply);
  void offer(Turn& turn, Reply& reply, std::vector<std::string>& settled_by);
  // The input to the skill that asked for it, as its answer; true if it took it.
  bool answer_follow_up(const FollowUp& question, const Stimulus& stimulus, Reply& reply);
  // The input to the skills a router chose, in its order, until one answers.
  void offer_in_order(const Stimulus& stimulus, Turn& turn, const std::string& router,
                      Reply& reply);
  void submit(std::optional<Algorithm> algorithm, const std::string& origin, Reply& reply);
  void run_steps(Reply& reply, const Sink& on_line);
  void end_turn(Reply& reply);
  // Calls into a skill, contained, with running() naming it meanwhile.
  template <typename Call>
  bool call(const std::string& skill, const char* hook, Reply* reply, Call&& body);

  std::shared_ptr<Agent> agent_;
  Kokoro kokoro_;
  Dispatcher dispatcher_;
  std::vector<Slot> slots_;
  std::shared_ptr<const SkillCatalog> followed_;          // the agent catalog slots_ reflect
  std::vector<std::shared_ptr<const SkillFactory>> own_;  // added here, in order
  bool own_changed_ = false;
  std::vector<Change> deferred_;
  bool in_turn_ = false;
  mutable std::mutex running_mutex_;
  std::string running_;
};

}  // namespace requip

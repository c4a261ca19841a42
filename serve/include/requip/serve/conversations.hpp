#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requip/core/brain.hpp"
#include "requip/router/router_skill.hpp"

namespace requip::serve {

class SessionRouter;

// What one turn of one session produced.
struct TurnResult {
  std::vector<std::string> replies;
  std::string skill;
  std::string emotion;
  std::vector<std::string> notices;
  std::string error;  // set when the input was refused; then nothing ran
  std::optional<router::RoutingExplanation> why;  // set when the router routed the turn
};

// Output of a continuous skill (a timer, a reminder) that fell due between turns.
struct PushedOutput {
  std::string session;  // the session that last talked to the skill
  std::string skill;
  std::vector<std::string> lines;
};

struct SkillSummary {
  std::string name;
  std::string version;
  std::string kind;
  std::string description;
};

// Many conversations over one Brain. The brain hosts the plugin skills once: a skill attaches
// to one brain at a time, and a brain per session would load every plugin library again for
// each of thousands of sessions. A Brain is not thread-safe, so turns are serialised by one
// lock, and each turn runs to completion (multi-step algorithms included) before the next, so
// no session's queued steps leak into another's. What must not be shared — who answered last,
// the equipped skill, rejections — is a RouterSkill per session over one shared RouterModel:
// feedback in one session never re-equips another, while confirmed mappings are learned for all.
class Conversations {
 public:
  // Without a model, every skill sees each input, as in `requip chat --no-router`.
  Conversations(Brain& brain, std::shared_ptr<router::RouterModel> model);
  Conversations(const Conversations&) = delete;
  Conversations& operator=(const Conversations&) = delete;
  ~Conversations();

  // Runs under the lock before each turn and tick: where plugin swaps are applied.
  void on_turn_boundary(std::function<void()> hook);

  // One input of one session, run to its last step. Thread-safe.
  TurnResult converse(const std::string& session, std::string_view text);
  // Lets continuous skills act while nothing is pending. Thread-safe.
  std::optional<PushedOutput> tick();
  // Forgets sessions not used since `cutoff` unless `keep` holds them (an open stream).
  std::size_t expire(std::chrono::steady_clock::time_point cutoff,
                     const std::function<bool(const std::string&)>& keep);

  std::size_t sessions() const;
  std::vector<SkillSummary> skills() const;

 private:
  struct Session {
    std::shared_ptr<router::RouterSkill> router;  // null without a model
    std::chrono::steady_clock::time_point last_used;
  };

  Session& session(const std::string& id);

  mutable std::mutex mutex_;
  Brain& brain_;
  std::shared_ptr<router::RouterModel> model_;
  std::shared_ptr<SessionRouter> session_router_;  // in the brain while a model is set
  std::map<std::string, Session> sessions_;
  // Continuous skills speak between turns; their output goes to whoever last talked to them.
  std::map<std::string, std::string> last_session_of_skill_;
  std::vector<std::function<void()>> boundary_hooks_;
};

// A session id names a conversation in a URL: 1 to 64 of [A-Za-z0-9_.-].
bool valid_session_id(std::string_view id);

}  // namespace requip::serve

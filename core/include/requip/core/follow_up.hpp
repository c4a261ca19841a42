#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace requip {

// A question a skill asked its conversation ("What should the note say?"): the conversation's
// next input goes first to that skill's follow_up() hook, as the answer. It is the
// conversation's own; one waits at a time, a later question replacing an earlier one.
struct FollowUp {
  using Clock = std::chrono::steady_clock;

  std::string skill;  // who asked
  std::string topic;  // what about: handed back with the answer, so the skill keeps no state
  Clock::time_point asked_at = Clock::now();
  // How long the question waits for its answer; the agent's BrainOptions::follow_up_timeout
  // when the skill did not say.
  std::optional<std::chrono::milliseconds> timeout;

  // After this, the next input is routed as if nothing had been asked.
  bool expired(Clock::time_point now, std::chrono::milliseconds default_timeout) const {
    return now - asked_at >= timeout.value_or(default_timeout);
  }
};

}  // namespace requip

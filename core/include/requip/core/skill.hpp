#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requip/core/algorithm.hpp"
#include "requip/core/kokoro.hpp"
#include "requip/core/stimulus.hpp"

namespace requip {

class Turn;

enum class SkillKind {
  regular,     // answers input
  continuous,  // also runs on back-seat ticks while nothing else is pending
  aware,       // sees every input first and may steer the turn or change the brain
};

std::string_view to_string(SkillKind kind);

// A unit of behaviour a Brain hosts. Override what the skill needs; every hook has a
// harmless default. A skill is attached to at most one brain at a time.
class Skill {
 public:
  Skill() = default;
  Skill(const Skill&) = delete;
  Skill& operator=(const Skill&) = delete;
  virtual ~Skill() = default;

  virtual std::string name() const = 0;
  virtual std::string version() const { return "0.1.0"; }
  virtual std::string description() const { return {}; }
  virtual SkillKind kind() const { return SkillKind::regular; }
  // Utterances this skill answers, from which a router learns to pick it.
  virtual std::vector<std::string> examples() const { return {}; }

  // Regular and continuous skills: may answer the input with an algorithm.
  virtual std::optional<Algorithm> input(const Stimulus&) { return std::nullopt; }
  // Continuous skills: called on ticks while the brain has nothing else to do.
  virtual std::optional<Algorithm> tick() { return std::nullopt; }
  // Aware skills: called for every input before any other skill sees it.
  virtual void perceive(Turn&) {}
  // The conversation's next input after this skill called ask_follow_up(topic): it comes here
  // before any routing. An algorithm takes it as the answer; nullopt declines it, and the
  // input is then routed as if nothing had been asked (input() may still get it).
  virtual std::optional<Algorithm> follow_up(std::string_view /*topic*/, const Stimulus&) {
    return std::nullopt;
  }

  virtual void on_attach() {}
  virtual void on_detach() {}
  // State handed from an old instance to its replacement when a skill is swapped live.
  virtual std::string save_state() const { return {}; }
  virtual void restore_state(std::string_view) {}

  // Called by the Brain; they run the on_attach/on_detach hooks.
  void attach(Kokoro& kokoro);
  void detach();
  bool attached() const { return kokoro_ != nullptr; }

 protected:
  // Valid between attach and detach; throws std::logic_error otherwise.
  Kokoro& kokoro() const;
  // This skill's memory for the conversation's user: another user never sees it.
  MementoView memory() const;
  // This skill's memory shared by every user of the agent; ask for it only on purpose.
  MementoView shared_memory() const;
  // Asks for the conversation's next input, from input() or follow_up() whose answer says the
  // question: it goes to follow_up(topic, ...) first. Feedback ("thanks", "wrong") and "never
  // mind" are not answers, and after `timeout` (the agent's BrainOptions::follow_up_timeout
  // when not given) the next input is routed as usual. Only the latest question waits.
  void ask_follow_up(std::string topic, std::optional<std::chrono::milliseconds> timeout = {});

 private:
  Kokoro* kokoro_ = nullptr;
};

}  // namespace requip

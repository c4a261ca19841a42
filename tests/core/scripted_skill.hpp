#pragma once

#include <functional>
#include <string>
#include <vector>

#include "requip/core/skill.hpp"
#include "requip/core/turn.hpp"

namespace requip::test {

// A skill whose behaviour each test writes as lambdas, and which records what happened to it.
class ScriptedSkill : public Skill {
 public:
  explicit ScriptedSkill(std::string name, SkillKind kind = SkillKind::regular)
      : name_(std::move(name)), kind_(kind) {}

  std::string name() const override { return name_; }
  SkillKind kind() const override { return kind_; }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    heard.push_back(stimulus.ear);
    return on_input ? on_input(stimulus) : std::nullopt;
  }
  std::optional<Algorithm> tick() override {
    ++ticks;
    return on_tick ? on_tick() : std::nullopt;
  }
  std::optional<Algorithm> follow_up(std::string_view topic, const Stimulus& stimulus) override {
    answers.push_back(std::string(topic) + ": " + stimulus.ear);
    return on_follow_up ? on_follow_up(topic, stimulus) : std::nullopt;
  }
  void perceive(Turn& turn) override {
    heard.push_back(turn.stimulus().ear);
    if (on_perceive) on_perceive(turn);
  }
  void on_attach() override { events.push_back("attach"); }
  void on_detach() override { events.push_back("detach"); }
  std::string save_state() const override { return state; }
  void restore_state(std::string_view saved) override { state = std::string(saved); }

  using Skill::ask_follow_up;
  using Skill::kokoro;
  MementoView own() const { return memory(); }
  MementoView shared() const { return shared_memory(); }

  std::function<std::optional<Algorithm>(const Stimulus&)> on_input;
  std::function<std::optional<Algorithm>()> on_tick;
  std::function<void(Turn&)> on_perceive;
  std::function<std::optional<Algorithm>(std::string_view, const Stimulus&)> on_follow_up;
  std::vector<std::string> heard;
  std::vector<std::string> answers;  // "topic: text" for each input offered as an answer
  std::vector<std::string> events;
  std::string state;
  int ticks = 0;

 private:
  std::string name_;
  SkillKind kind_;
};

// A skill that answers every input with the given lines.
inline std::shared_ptr<ScriptedSkill> answering(std::string name, std::vector<std::string> lines,
                                                int priority = Algorithm::default_priority) {
  auto skill = std::make_shared<ScriptedSkill>(std::move(name));
  skill->on_input = [lines, priority](const Stimulus&) {
    return Algorithm::say_lines(lines, priority);
  };
  return skill;
}

}  // namespace requip::test

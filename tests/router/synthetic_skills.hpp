#pragma once

#include <memory>
#include <string>
#include <vector>

#include "requip/core/brain.hpp"
#include "requip/router/gate_model.hpp"
#include "requip/router/router_model.hpp"

namespace requip::test {

// A gate small enough to train in a blink, even under the sanitizers.
inline router::GateConfig small_gate() {
  router::GateConfig config;
  config.dim = 16;
  config.members = 2;
  config.epochs = 40;
  config.batch_size = 8;
  config.dropout = 0;
  return config;
}

// Four skills with a handful of examples each; rows in this order.
inline const std::vector<std::pair<std::string, std::vector<std::string>>>& synthetic_skills() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> skills{
      {"weather",
       {"what's the weather", "will it rain tomorrow", "forecast for today", "is it sunny outside",
        "how cold is it"}},
      {"alarm",
       {"set an alarm", "wake me up at six", "cancel my alarm", "alarm for seven tomorrow",
        "set an alarm for eight"}},
      {"music",
       {"play some jazz", "play music", "next song", "play the radio", "turn the music up"}},
      {"news",
       {"what's the news", "read me the headlines", "latest news today", "any news on sports",
        "news headlines"}},
  };
  return skills;
}

inline std::vector<router::TrainingExample> synthetic_examples() {
  std::vector<router::TrainingExample> examples;
  int row = 0;
  for (const auto& [name, texts] : synthetic_skills()) {
    for (const auto& text : texts)
      examples.push_back({text, row});
    ++row;
  }
  return examples;
}

// Answers "<name>: <input>", so a test sees who answered what.
class EchoSkill final : public Skill {
 public:
  EchoSkill(std::string name, std::vector<std::string> examples)
      : name_(std::move(name)), examples_(std::move(examples)) {}
  std::string name() const override { return name_; }
  std::string description() const override { return "answers " + name_; }
  std::vector<std::string> examples() const override { return examples_; }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    return Algorithm::say(name_ + ": " + stimulus.ear);
  }

 private:
  std::string name_;
  std::vector<std::string> examples_;
};

inline std::shared_ptr<Skill> synthetic_skill(const std::string& name) {
  for (const auto& [skill, examples] : synthetic_skills()) {
    if (skill == name) return std::make_shared<EchoSkill>(skill, examples);
  }
  return nullptr;
}

// Every line a turn prints.
inline std::vector<std::string> converse(Brain& brain, const std::string& text) {
  return brain.converse(text).lines;
}

}  // namespace requip::test

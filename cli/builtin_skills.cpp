#include "builtin_skills.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace requip::cli {

namespace {

std::string lowercase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// The text after a leading command word ("say hi" -> "hi"), if the input starts with it.
std::optional<std::string> after_word(std::string_view text, std::string_view word) {
  if (text.size() <= word.size() || lowercase(text.substr(0, word.size())) != word ||
      text[word.size()] != ' ') {
    return std::nullopt;
  }
  return std::string(text.substr(word.size() + 1));
}

class Greeter final : public Skill {
 public:
  std::string name() const override { return "greeter"; }
  std::string description() const override { return "answers greetings"; }
  std::vector<std::string> examples() const override { return {"hello", "hi there", "hey"}; }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    const std::string text = lowercase(stimulus.ear);
    for (std::string_view greeting : {"hello", "hi", "hey", "good morning", "good evening"}) {
      if (text == greeting || text.rfind(std::string(greeting) + " ", 0) == 0) {
        kokoro().set_emotion("happy");
        return Algorithm::say("Hello! I'm requip. Type /skills to see what I can do.");
      }
    }
    return std::nullopt;
  }
};

// Answers over several ticks, one number per step: the simplest multi-step algorithm.
class Counter final : public Skill {
 public:
  static constexpr int limit = 20;

  std::string name() const override { return "counter"; }
  std::string description() const override { return "counts to a number, one step at a time"; }
  std::vector<std::string> examples() const override { return {"count to 5"}; }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    auto rest = after_word(stimulus.ear, "count to");
    if (!rest) return std::nullopt;
    int target = 0;
    auto [end, error] = std::from_chars(rest->data(), rest->data() + rest->size(), target);
    if (error != std::errc() || end != rest->data() + rest->size() || target < 1) {
      return Algorithm::say(fmt::format("I can count to a whole number from 1 to {}.", limit));
    }
    if (target > limit) return Algorithm::say(fmt::format("That is far; I stop at {}.", limit));
    std::vector<std::string> numbers;
    for (int i = 1; i <= target; ++i)
      numbers.push_back(std::to_string(i));
    return Algorithm::say_lines(std::move(numbers), 4);
  }
};

}  // namespace

std::vector<SkillFactory> make_builtin_skills() {
  return {skill_factory<Greeter>(), skill_factory<Counter>()};
}

}  // namespace requip::cli

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

// " how are you " at the start of " how are you today ": a phrase as whole words.
bool opens_with(std::string_view padded, std::string_view phrase) {
  return padded.size() > phrase.size() + 1 && padded.substr(1, phrase.size()) == phrase &&
         padded[phrase.size() + 1] == ' ';
}

// Small talk: greetings, "how are you", thanks that are not feedback on an answer (those
// reach the router first), goodbyes, and who this is. Each phrase must open the input (after
// a greeting: "hey, how are you?"), so that "say thanks" stays the parrot's.
class Greeter final : public Skill {
 public:
  std::string name() const override { return "greeter"; }
  std::string description() const override {
    return "small talk: greetings, how are you, thanks, who I am";
  }
  std::vector<std::string> examples() const override {
    return {"hello",       "hi there",          "hey",       "good morning",
            "how are you", "how is it going",   "thank you", "thanks a lot",
            "who are you", "what is your name", "goodbye",   "see you later"};
  }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    std::string padded = " ";
    for (const char c : lowercase(stimulus.ear))
      padded += std::isalnum(static_cast<unsigned char>(c)) ? c : ' ';
    padded += " ";
    std::string_view rest = padded;
    while (rest.starts_with("  "))
      rest.remove_prefix(1);
    bool greeted = false;
    for (std::string_view greeting : {"hello", "hi", "hey", "howdy", "greetings", "good morning",
                                      "good afternoon", "good evening"}) {
      if (!opens_with(rest, greeting)) continue;
      greeted = true;
      rest.remove_prefix(greeting.size() + 1);
      while (rest.starts_with("  "))
        rest.remove_prefix(1);
      break;
    }
    const auto any_of = [rest](std::initializer_list<std::string_view> phrases) {
      return std::any_of(phrases.begin(), phrases.end(),
                         [rest](std::string_view phrase) { return opens_with(rest, phrase); });
    };
    if (any_of({"how are you", "how is it going", "how s it going", "how are things",
                "how do you do"})) {
      return Algorithm::say("I'm well, thank you! What can I do for you?");
    }
    if (any_of({"who are you", "what are you", "what is your name", "what s your name",
                "introduce yourself"})) {
      return Algorithm::say(
          "I'm requip, an agent whose skills come from plugins. Ask \"what can you do\" to hear "
          "them.");
    }
    if (any_of({"thank you", "thanks", "thx", "cheers", "much appreciated"})) {
      kokoro().set_emotion("happy");
      return Algorithm::say("You're welcome!");
    }
    if (any_of({"goodbye", "bye", "see you"})) return Algorithm::say("Goodbye! Talk to you soon.");
    if (!greeted) return std::nullopt;
    kokoro().set_emotion("happy");
    return Algorithm::say("Hello! I'm requip. Type /skills to see what I can do.");
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

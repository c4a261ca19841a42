#include "builtin_skills.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>

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

class Parrot final : public Skill {
 public:
  std::string name() const override { return "parrot"; }
  std::string description() const override { return "repeats what follows 'say'"; }
  std::vector<std::string> examples() const override { return {"say hello", "repeat after me"}; }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    if (auto rest = after_word(stimulus.ear, "say")) return Algorithm::say(*rest);
    if (auto rest = after_word(stimulus.ear, "repeat")) return Algorithm::say(*rest);
    return std::nullopt;
  }
};

class Clock final : public Skill {
 public:
  std::string name() const override { return "clock"; }
  std::string description() const override { return "tells the time and the date"; }
  std::vector<std::string> examples() const override {
    return {"what time is it", "what's the date today"};
  }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    const std::string text = lowercase(stimulus.ear);
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    if (text.find("time") != std::string::npos) {
      return Algorithm::say(fmt::format("It is {:%H:%M}.", local));
    }
    if (text.find("date") != std::string::npos || text.find("day is it") != std::string::npos) {
      return Algorithm::say(fmt::format("Today is {:%A, %d %B %Y}.", local));
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

// Keeps notes in its memento namespace: with the SQLite store behind the brain, what it is
// told survives restarts.
class Notebook final : public Skill {
 public:
  std::string name() const override { return "notebook"; }
  std::string description() const override {
    return "remembers what follows 'remember'; 'what do you remember', 'forget everything'";
  }
  std::vector<std::string> examples() const override {
    return {"remember the milk", "what do you remember", "forget everything"};
  }

  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    const std::string text = lowercase(stimulus.ear);
    if (text == "what do you remember" || text == "what do you remember?") return recall();
    if (text == "forget everything") {
      auto notes = memory();
      for (const auto& key : notes.keys())
        notes.erase(key);
      return Algorithm::say("I have forgotten everything you told me.");
    }
    auto note = after_word(stimulus.ear, "remember");
    if (!note) return std::nullopt;
    auto notes = memory();
    // Zero-padded, so that the sorted keys keep the order the notes were given in.
    const auto existing = notes.keys();
    const std::string last = existing.empty() ? "note-000000" : existing.back();
    notes.put(fmt::format("note-{:06}", std::stoi(last.substr(5)) + 1), *note);
    return Algorithm::say(fmt::format("I will remember: {}", *note));
  }

 private:
  Algorithm recall() {
    auto notes = memory();
    std::vector<std::string> lines;
    for (const auto& key : notes.keys()) {
      if (auto value = notes.get(key)) lines.push_back("- " + *value);
    }
    if (lines.empty()) return Algorithm::say("Nothing yet. Tell me: remember <something>.");
    lines.insert(lines.begin(), "You asked me to remember:");
    return Algorithm::say_lines(std::move(lines));
  }
};

}  // namespace

std::vector<std::shared_ptr<Skill>> make_builtin_skills() {
  return {std::make_shared<Greeter>(), std::make_shared<Parrot>(), std::make_shared<Clock>(),
          std::make_shared<Counter>(), std::make_shared<Notebook>()};
}

}  // namespace requip::cli

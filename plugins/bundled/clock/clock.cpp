// clock: the time, the date, timers and reminders. A continuous skill: what is due arrives
// through the brain's ticks, and what is pending is handed over when the plugin is swapped.

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <sstream>

#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using Clock = std::chrono::system_clock;

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;)
    words.push_back(word);
  return words;
}

using requip::bundled::lowercase;

// "5 minutes" in a sentence: the seconds, and where the number is.
struct Duration {
  long seconds;
  std::size_t at;
  std::string spoken;  // "5 minutes"
};

std::optional<Duration> find_duration(const std::vector<std::string>& words) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    long amount = 0;
    const std::string& number = words[i];
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), amount);
    if (error != std::errc() || end != number.data() + number.size() || amount <= 0) continue;
    const std::string unit = lowercase(words[i + 1]);
    long scale = 0;
    if (unit.starts_with("sec") || unit == "s") scale = 1;
    if (unit.starts_with("min") || unit == "m") scale = 60;
    if (unit.starts_with("hour") || unit == "h") scale = 3600;
    if (scale != 0) return Duration{amount * scale, i, number + " " + words[i + 1]};
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string text;
  for (std::size_t i = from; i < to && i < words.size(); ++i)
    text += (text.empty() ? "" : " ") + words[i];
  return text;
}

struct Pending {
  std::int64_t due_ms;  // since the epoch, so that it survives a hand-over as text
  std::string message;
};

class ClockSkill final : public requip::Skill {
 public:
  std::string name() const override { return "clock"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override {
    return "tells the time and the date; sets timers and reminders";
  }
  requip::SkillKind kind() const override { return requip::SkillKind::continuous; }
  std::vector<std::string> examples() const override {
    return {"what time is it", "what's the date today", "set a timer for 5 minutes",
            "remind me in 10 minutes to stretch", "list my timers"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const auto words = words_of(stimulus.ear);
    const std::string text = lowercase(stimulus.ear);
    if (text.starts_with("remind me")) return remind(words);
    if (text.find("timer") != std::string::npos) {
      if (text.find("list") != std::string::npos || text.find("my timers") != std::string::npos) {
        return list();
      }
      return timer(words);
    }
    if (text.find("reminders") != std::string::npos) return list();
    const std::time_t now = Clock::to_time_t(Clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    if (text.find("time") != std::string::npos) {
      return requip::Algorithm::say(fmt::format("It is {:%H:%M}.", local));
    }
    if (text.find("date") != std::string::npos || text.find("day is it") != std::string::npos) {
      return requip::Algorithm::say(fmt::format("Today is {:%A, %d %B %Y}.", local));
    }
    return std::nullopt;
  }

  // Says everything that fell due, most urgent priority: a reminder should not wait.
  std::optional<requip::Algorithm> tick() override {
    const std::int64_t now = now_ms();
    std::vector<std::string> due;
    std::erase_if(pending_, [&](const Pending& item) {
      if (item.due_ms > now) return false;
      due.push_back(item.message);
      return true;
    });
    if (due.empty()) return std::nullopt;
    return requip::Algorithm::say_lines(std::move(due), requip::Algorithm::most_urgent + 1);
  }

  std::string save_state() const override {
    std::string state;
    for (const auto& item : pending_)
      state += fmt::format("{}\t{}\n", item.due_ms, item.message);
    return state;
  }
  void restore_state(std::string_view state) override {
    std::istringstream in{std::string(state)};
    for (std::string line; std::getline(in, line);) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      pending_.push_back({std::stoll(line.substr(0, tab)), line.substr(tab + 1)});
    }
  }

 private:
  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
  }

  std::optional<requip::Algorithm> timer(const std::vector<std::string>& words) {
    const auto duration = find_duration(words);
    if (!duration)
      return requip::Algorithm::say("For how long? Say e.g. 'set a timer for 5 minutes'.");
    pending_.push_back(
        {now_ms() + duration->seconds * 1000, fmt::format("Timer done: {}.", duration->spoken)});
    return requip::Algorithm::say(fmt::format("Timer set for {}.", duration->spoken));
  }

  // "remind me in 2 minutes to stretch" or "remind me to stretch in 2 minutes".
  std::optional<requip::Algorithm> remind(const std::vector<std::string>& words) {
    const auto duration = find_duration(words);
    if (!duration) {
      return requip::Algorithm::say("When? Say e.g. 'remind me in 10 minutes to stretch'.");
    }
    std::vector<std::string> rest;
    for (std::size_t i = 2; i < words.size(); ++i) {  // after "remind me"
      const bool in_duration = i == duration->at || i == duration->at + 1 ||
                               (i + 1 == duration->at && lowercase(words[i]) == "in");
      if (!in_duration) rest.push_back(words[i]);
    }
    if (!rest.empty() && lowercase(rest.front()) == "to") rest.erase(rest.begin());
    const std::string what = rest.empty() ? std::string("this") : join(rest, 0, rest.size());
    pending_.push_back({now_ms() + duration->seconds * 1000, fmt::format("Reminder: {}", what)});
    return requip::Algorithm::say(
        fmt::format("I will remind you in {}: {}.", duration->spoken, what));
  }

  std::optional<requip::Algorithm> list() const {
    if (pending_.empty()) return requip::Algorithm::say("No timers or reminders are pending.");
    std::vector<std::string> lines;
    const std::int64_t now = now_ms();
    for (const auto& item : pending_) {
      lines.push_back(fmt::format("in {} s: {}", (item.due_ms - now + 999) / 1000, item.message));
    }
    return requip::Algorithm::say_lines(std::move(lines));
  }

  std::vector<Pending> pending_;
};

}  // namespace

REQUIP_EXPORT_SKILL(ClockSkill)

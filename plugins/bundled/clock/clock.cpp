// clock: the time, the date, timers, alarms and reminders. A continuous skill: what is due
// arrives through the brain's ticks, and what is pending is handed over when the plugin is
// swapped. Reading durations and times of day is when.hpp's job; this file is the skill.

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <sstream>

#include "pending.hpp"
#include "requip/plugin.hpp"
#include "spoken_numbers.hpp"
#include "text.hpp"
#include "when.hpp"

namespace {

using Clock = std::chrono::system_clock;
using Words = std::vector<std::string>;
using requip::Algorithm;
using requip::bundled::lowercase;
using requip::clock::Kind;
using requip::clock::kind_names;
using requip::clock::name_of;
using requip::clock::parse_state_line;
using requip::clock::Pending;

bool has(const Words& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool has_any(const Words& words, std::initializer_list<std::string_view> choices) {
  return std::any_of(choices.begin(), choices.end(), [&](auto word) { return has(words, word); });
}

// The kinds an utterance names, and whether in the plural ("cancel my timers").
struct Named {
  std::vector<Kind> kinds;
  bool plural = false;

  bool names(Kind kind) const { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); }
};

Named kinds_named(const Words& lower) {
  Named named;
  for (const auto& word : lower) {
    for (std::size_t i = 0; i < kind_names.size(); ++i) {
      const bool plural = word.size() == kind_names[i].size() + 1 && word.ends_with('s');
      if (word.starts_with(kind_names[i]) && (plural || word.size() == kind_names[i].size())) {
        named.kinds.push_back(static_cast<Kind>(i));
        named.plural = named.plural || plural;
      }
    }
    if (word == "countdown" || word == "countdowns") {
      named.kinds.push_back(Kind::timer);
      named.plural = named.plural || word.ends_with('s');
    }
  }
  return named;
}

// Where the words after "<word> <one of next>" start ("remind me", "wake up"), if they do.
std::optional<std::size_t> after_pair(const Words& lower, std::string_view word,
                                      std::initializer_list<std::string_view> next) {
  for (std::size_t i = 0; i + 1 < lower.size(); ++i) {
    if (lower[i] != word) continue;
    if (std::find(next.begin(), next.end(), lower[i + 1]) != next.end()) return i + 2;
  }
  return std::nullopt;
}

// Longer than this is more likely a slip than a plan.
constexpr double longest_seconds = 365.0 * 24 * 3600;
constexpr std::string_view too_long = "That is too far ahead: I keep track of up to a year.";
// The topic of the follow-up question a timer without a duration asks.
constexpr std::string_view timer_question = "timer duration";

class ClockSkill final : public requip::Skill {
 public:
  std::string name() const override { return "clock"; }
  std::string version() const override { return "1.2.0"; }
  std::string description() const override {
    return "tells the time, the date and the day of the week; sets timers, alarms and "
           "reminders, lists them and cancels them";
  }
  requip::SkillKind kind() const override { return requip::SkillKind::continuous; }
  std::vector<std::string> examples() const override {
    return {"what time is it",
            "what's the date today",
            "which day of the week is it",
            "set a timer for 5 minutes",
            "start a 30 second timer",
            "half an hour timer",
            "remind me in 10 minutes to stretch",
            "remind me to call mum at 5pm",
            "set an alarm for 7am",
            "wake me up at 6:30",
            "what timers do I have",
            "list my reminders",
            "cancel the timer",
            "delete all my alarms"};
  }

  std::optional<Algorithm> input(const requip::Stimulus& stimulus) override {
    const Words words = requip::when::words_of(stimulus.ear);
    Words lower;
    for (const auto& word : words)
      lower.push_back(lowercase(word));
    const Named named = kinds_named(lower);
    const bool setting =
        has_any(lower, {"set", "start", "create", "add", "make", "new", "put", "begin"});
    if (const auto start = after_pair(lower, "remind", {"me", "us"})) return remind(words, *start);
    const bool cancelling = has_any(lower, {"cancel", "stop", "delete", "remove", "clear",
                                            "dismiss", "disable", "forget", "abort", "kill"}) ||
                            (has(lower, "off") && has_any(lower, {"turn", "switch"}));
    // Only with a kind named: "delete my notes" belongs to another skill.
    if (cancelling && !setting && !named.kinds.empty()) return cancel(lower, named);
    const bool asking = has_any(lower, {"list", "show", "what", "what's", "which", "how", "any",
                                        "pending", "when", "when's", "check", "see", "left"});
    if (!named.kinds.empty() && !setting && (asking || named.plural)) return list();
    if (named.names(Kind::alarm) || after_pair(lower, "wake", {"me", "us", "up"})) {
      return alarm(words);
    }
    if (named.names(Kind::timer)) return timer(words);
    if (named.names(Kind::reminder)) {  // "set a reminder for 5pm to call mum"
      const auto at = std::find(lower.begin(), lower.end(), "reminder");
      return remind(words,
                    std::min(static_cast<std::size_t>(at - lower.begin()) + 1, lower.size()));
    }
    return time_and_date(lower);
  }

  // The answer to "For how long?": a duration sets the timer; anything else is not an answer
  // and goes on to be routed ("what time is it" still gets the time).
  std::optional<Algorithm> follow_up(std::string_view topic,
                                     const requip::Stimulus& answer) override {
    if (topic != timer_question) return std::nullopt;
    const auto duration = requip::when::find_duration(requip::when::words_of(answer.ear));
    if (!duration) return std::nullopt;
    return set_timer(*duration);
  }

  // Says everything that fell due, most urgent priority: a reminder should not wait.
  std::optional<Algorithm> tick() override {
    const std::int64_t now = now_ms();
    std::vector<std::string> due;
    std::erase_if(pending_, [&](const Pending& item) {
      if (item.due_ms > now) return false;
      due.push_back(due_line(item));
      return true;
    });
    if (due.empty()) return std::nullopt;
    return Algorithm::say_lines(std::move(due), Algorithm::most_urgent + 1);
  }

  std::string save_state() const override {
    std::string state;
    for (const auto& item : pending_)
      state += fmt::format("{}\t{}\t{}\n", name_of(item.kind), item.due_ms, item.label);
    return state;
  }
  void restore_state(std::string_view state) override {
    std::istringstream in{std::string(state)};
    for (std::string line; std::getline(in, line);)
      if (auto item = parse_state_line(line)) add(std::move(*item));
  }

 private:
  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
  }

  // How long until the moment, for people: "9 h 12 min".
  static std::string until(std::int64_t due_ms) {
    return requip::when::short_duration((due_ms - now_ms() + 999) / 1000);
  }

  // Kept in the order they fall due, which is also the order they are listed and numbered in.
  void add(Pending item) {
    const auto later =
        std::upper_bound(pending_.begin(), pending_.end(), item.due_ms,
                         [](std::int64_t due, const Pending& other) { return due < other.due_ms; });
    pending_.insert(later, std::move(item));
  }

  std::optional<Algorithm> time_and_date(const Words& lower) const {
    const bool time = has(lower, "time");
    // "day" and "today" only in a question: "have a nice day" is not one.
    const bool date = has_any(lower, {"date", "today's", "weekday"}) ||
                      (has_any(lower, {"what", "what's", "which", "tell"}) &&
                       has_any(lower, {"day", "today", "month", "year"}));
    if (!time && !date) return std::nullopt;
    const std::time_t now = Clock::to_time_t(Clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    std::vector<std::string> lines;
    if (time) lines.push_back(fmt::format("It is {:%H:%M}.", local));
    if (date) lines.push_back(fmt::format("Today is {:%A, %d %B %Y}.", local));
    return Algorithm::say_lines(std::move(lines));
  }

  std::optional<Algorithm> timer(const Words& words) {
    const auto duration = requip::when::find_duration(words);
    if (!duration) {
      ask_follow_up(std::string(timer_question));
      return Algorithm::say("For how long?");
    }
    return set_timer(*duration);
  }

  Algorithm set_timer(const requip::when::Duration& duration) {
    if (duration.seconds > longest_seconds) return Algorithm::say(std::string(too_long));
    const auto seconds = static_cast<std::int64_t>(duration.seconds);
    const std::string spoken = requip::when::spoken_duration(seconds);
    add({Kind::timer, now_ms() + seconds * 1000, spoken});
    return Algorithm::say(fmt::format("Timer set for {}.", spoken));
  }

  std::optional<Algorithm> alarm(const Words& words) {
    const std::int64_t now = now_ms();
    std::int64_t due = 0;
    std::string face;
    if (const auto time = requip::when::find_time_of_day(words)) {
      due = std::int64_t{requip::when::next_occurrence(now / 1000, *time)} * 1000;
      face = requip::when::clock_face(time->hour, time->minute);
    } else if (const auto duration = requip::when::find_duration(words)) {  // "wake me in 20 min"
      if (duration->seconds > longest_seconds) return Algorithm::say(std::string(too_long));
      due = now + static_cast<std::int64_t>(duration->seconds) * 1000;
      const std::time_t at = due / 1000;
      std::tm local{};
      localtime_r(&at, &local);
      face = requip::when::clock_face(local.tm_hour, local.tm_min);
    } else {
      return Algorithm::say("For when? Say e.g. 'set an alarm for 7am'.");
    }
    add({Kind::alarm, due, face});
    return Algorithm::say(fmt::format("Alarm set for {} (in {}).", face, until(due)));
  }

  // "remind me in 10 minutes to stretch", "remind me to call mum at 5pm": the task is what is
  // left once the time is taken out.
  std::optional<Algorithm> remind(const Words& words, std::size_t start) {
    const auto time = requip::when::find_time_of_day(words);
    const auto duration = requip::when::find_duration(words);
    // With both, the one said right after "remind me" or at the end is the time; the other
    // belongs to the task ("remind me at 5 to stretch for 10 minutes").
    const bool use_time =
        time && (!duration || time->span.from == start ||
                 (duration->span.from != start && time->span.to > duration->span.to));
    if (!time && !duration) {
      return Algorithm::say(
          "When? Say e.g. 'remind me in 10 minutes to stretch' or 'remind me at 5pm to call "
          "mum'.");
    }
    const requip::when::Span span = use_time ? time->span : duration->span;
    Words task;
    for (std::size_t i = start; i < words.size(); ++i)
      if (i < span.from || i >= span.to) task.push_back(words[i]);
    const std::string first = task.empty() ? "" : lowercase(task.front());
    if (first == "to" || first == "that" || first == "about") task.erase(task.begin());
    if (!task.empty() && lowercase(task.back()) == "please") task.pop_back();
    std::string what = task.empty() ? "this" : task.front();
    for (std::size_t i = 1; i < task.size(); ++i)
      what += " " + task[i];

    if (use_time) {
      const std::int64_t due =
          std::int64_t{requip::when::next_occurrence(now_ms() / 1000, *time)} * 1000;
      add({Kind::reminder, due, what});
      return Algorithm::say(fmt::format("I will remind you at {} (in {}): {}.",
                                        requip::when::clock_face(time->hour, time->minute),
                                        until(due), what));
    }
    if (duration->seconds > longest_seconds) return Algorithm::say(std::string(too_long));
    const auto seconds = static_cast<std::int64_t>(duration->seconds);
    add({Kind::reminder, now_ms() + seconds * 1000, what});
    return Algorithm::say(
        fmt::format("I will remind you in {}: {}.", requip::when::spoken_duration(seconds), what));
  }

  std::string listed(std::size_t index) const {
    const Pending& item = pending_[index];
    return fmt::format("{}. {}, {} left", index + 1, describe(item), until(item.due_ms));
  }

  std::optional<Algorithm> list() const {
    if (pending_.empty()) return Algorithm::say("No timers, alarms or reminders are pending.");
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < pending_.size(); ++i)
      lines.push_back(listed(i));
    return Algorithm::say_lines(std::move(lines));
  }

  // At least one kind is named. "cancel the timer", "cancel all timers", "cancel timer 2" (its
  // number in the list), "cancel the 5 minute timer", "cancel my 7am alarm".
  std::optional<Algorithm> cancel(const Words& lower, const Named& named) {
    const auto duration = requip::when::find_duration(lower);
    const auto time = requip::when::find_time_of_day(lower);
    if (!duration && !time) {
      for (std::size_t i = 0; i < lower.size(); ++i) {
        const auto number = requip::bundled::spoken_number(lower, i);
        if (number && number->value >= 1 && number->value == std::floor(number->value)) {
          return cancel_number(static_cast<std::size_t>(number->value), named);
        }
      }
    }
    std::vector<std::size_t> matching;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const Pending& item = pending_[i];
      bool fits = named.names(item.kind);
      if (duration) {
        fits = fits && item.kind == Kind::timer &&
               item.label ==
                   requip::when::spoken_duration(static_cast<std::int64_t>(duration->seconds));
      } else if (time) {
        fits = fits && item.kind == Kind::alarm &&
               item.label == requip::when::clock_face(time->hour, time->minute);
      }
      if (fits) matching.push_back(i);
    }
    const std::string_view kind = name_of(named.kinds.front());
    if (matching.empty()) {
      if (pending_.empty()) return Algorithm::say("There is nothing to cancel.");
      return Algorithm::say(fmt::format("There is no {} to cancel.", kind));
    }
    const bool all = named.plural || has_any(lower, {"all", "every", "everything"});
    if (all || matching.size() == 1) return cancel_items(matching);
    std::vector<std::string> lines{
        fmt::format("Which one? Say e.g. 'cancel {} {}' or 'cancel all {}s'.", kind,
                    matching.front() + 1, kind)};
    for (const auto index : matching)
      lines.push_back(listed(index));
    return Algorithm::say_lines(std::move(lines));
  }

  std::optional<Algorithm> cancel_number(std::size_t number, const Named& named) {
    if (number > pending_.size()) {
      return Algorithm::say(
          fmt::format("There is no number {}; say 'list my timers' to see the numbers.", number));
    }
    const Pending& item = pending_[number - 1];
    if (!named.names(item.kind)) {
      return Algorithm::say(fmt::format("Number {} is {}, not {}.", number, with_article(item.kind),
                                        with_article(named.kinds.front())));
    }
    return cancel_items({number - 1});
  }

  std::optional<Algorithm> cancel_items(const std::vector<std::size_t>& indices) {
    std::vector<std::string> cancelled;
    for (const auto index : indices)
      cancelled.push_back(describe(pending_[index]));
    for (auto index = indices.rbegin(); index != indices.rend(); ++index)
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(*index));
    std::string text = cancelled.front();
    for (std::size_t i = 1; i < cancelled.size(); ++i)
      text += (i + 1 == cancelled.size() ? " and " : ", ") + cancelled[i];
    return Algorithm::say(fmt::format("Cancelled {}.", text));
  }

  std::vector<Pending> pending_;
};

}  // namespace

REQUIP_EXPORT_SKILL(ClockSkill)

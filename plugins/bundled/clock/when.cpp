#include "when.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "spoken_numbers.hpp"
#include "text.hpp"

namespace requip::when {
namespace {

using Words = std::vector<std::string>;

using bundled::lowercase;

Words lowercase(const Words& words) {
  Words result;
  for (const auto& word : words)
    result.push_back(lowercase(word));
  return result;
}

bool is(const Words& words, std::size_t at, std::string_view word) {
  return at < words.size() && words[at] == word;
}

bool is_any(const Words& words, std::size_t at, std::initializer_list<std::string_view> choices) {
  for (auto choice : choices)
    if (is(words, at, choice)) return true;
  return false;
}

// Seconds in one of the unit, 0 for a word that is not a unit.
double unit_seconds(std::string_view word) {
  for (auto unit : {"s", "sec", "secs", "second", "seconds"})
    if (word == unit) return 1;
  for (auto unit : {"m", "min", "mins", "minute", "minutes"})
    if (word == unit) return 60;
  for (auto unit : {"h", "hr", "hrs", "hour", "hours"})
    if (word == unit) return 3600;
  for (auto unit : {"d", "day", "days"})
    if (word == unit) return 86400;
  return 0;
}

bool is_unit(const Words& words, std::size_t at) {
  return at < words.size() && unit_seconds(words[at]) > 0;
}

// A whole number at words[at] within [low, high]: its value and where it ends.
struct Whole {
  int value;
  std::size_t end;
};

std::optional<Whole> whole_at(const Words& words, std::size_t at, int low, int high) {
  const auto number = bundled::spoken_number(words, at);
  if (!number || number->value != std::floor(number->value)) return std::nullopt;
  if (number->value < low || number->value > high) return std::nullopt;
  return Whole{static_cast<int>(number->value), at + number->words};
}

// ----- durations -----

struct Amount {
  double value;
  std::size_t end;
};

// "5", "five", "a" (before a unit), "half", "a quarter", "a couple", "two and a half".
std::optional<Amount> amount_at(const Words& words, std::size_t at) {
  std::size_t next = at;
  if (is_any(words, at, {"a", "an"})) {
    if (is_unit(words, at + 1)) return Amount{1, at + 1};
    ++next;
  }
  if (is(words, next, "half")) return Amount{0.5, next + 1};
  if (is(words, next, "quarter")) return Amount{0.25, next + 1};
  if (is(words, next, "couple")) return Amount{2, next + 1};
  const auto number = bundled::spoken_number(words, at);
  if (!number || number->value <= 0) return std::nullopt;
  Amount amount{number->value, at + number->words};
  if (is(words, amount.end, "and") && is(words, amount.end + 1, "a") &&
      is(words, amount.end + 2, "half")) {
    amount.value += 0.5;
    amount.end += 3;
  }
  return amount;
}

// One amount and its unit: "5 minutes", "half an hour", "an hour and a half".
struct Part {
  double seconds;
  double unit;
  std::size_t end;
};

std::optional<Part> part_at(const Words& words, std::size_t at) {
  const auto amount = amount_at(words, at);
  if (!amount) return std::nullopt;
  std::size_t next = amount->end;
  // "half of an hour", "a couple of minutes"
  std::size_t filler = next;
  if (is(words, filler, "of")) ++filler;
  if (is_any(words, filler, {"a", "an"})) ++filler;
  if (!is_unit(words, next) && is_unit(words, filler)) next = filler;
  if (!is_unit(words, next)) return std::nullopt;
  const double unit = unit_seconds(words[next]);
  Part part{amount->value * unit, unit, next + 1};
  if (is(words, part.end, "and") && is(words, part.end + 1, "a") &&
      is(words, part.end + 2, "half")) {
    part.seconds += unit / 2;
    part.end += 3;
  }
  return part;
}

// Parts that add up, each in a smaller unit than the one before: "1 hour and 30 minutes".
std::optional<Part> parts_at(const Words& words, std::size_t at) {
  auto total = part_at(words, at);
  if (!total) return std::nullopt;
  for (;;) {
    const std::size_t next = is(words, total->end, "and") ? total->end + 1 : total->end;
    if (const auto more = part_at(words, next); more && more->unit < total->unit) {
      *total = {total->seconds + more->seconds, more->unit, more->end};
      continue;
    }
    // "1 hour 30", "1h30": the bare number counts the next smaller unit.
    if (total->unit == 3600 || total->unit == 60) {
      if (const auto bare = whole_at(words, next, 1, 59); bare && !is_unit(words, bare->end)) {
        total->seconds += bare->value * total->unit / 60;
        total->end = bare->end;
      }
    }
    return total;
  }
}

// ----- times of day -----

// What narrows an hour to one half of the day.
enum class Half { none, am, pm, night, morning };

struct Clock {
  int hour;
  int minute;
  std::size_t end;
  bool certain;  // said in a way that is a time even without "at": "7pm", "7:30", "noon"
};

// "half past six", "quarter to 8", "ten past 7", "20 minutes to 9".
std::optional<Clock> relative_at(const Words& words, std::size_t at) {
  std::size_t next = is(words, at, "a") ? at + 1 : at;
  int minutes = 0;
  if (is(words, next, "half")) {
    minutes = 30;
    ++next;
  } else if (is(words, next, "quarter")) {
    minutes = 15;
    ++next;
  } else if (const auto number = whole_at(words, next, 1, 59)) {
    minutes = number->value;
    next = number->end;
    if (is_any(words, next, {"minute", "minutes", "min", "mins"})) ++next;
  } else {
    return std::nullopt;
  }
  const bool before = is(words, next, "to");
  if (!before && !is_any(words, next, {"past", "after"})) return std::nullopt;
  const auto hour = whole_at(words, next + 1, 0, 23);
  if (!hour || is_unit(words, hour->end)) return std::nullopt;
  if (!before) return Clock{hour->value, minutes, hour->end, true};
  return Clock{(hour->value + 23) % 24, 60 - minutes, hour->end, true};
}

// "7:30", "7.30", "7 30", "seven thirty", "six oh five", "1900", "7".
std::optional<Clock> absolute_at(const Words& words, std::size_t at) {
  if (at >= words.size()) return std::nullopt;
  const std::string& word = words[at];
  if (const auto mark = word.find_first_of(":."); mark != std::string::npos) {
    const std::string hour = word.substr(0, mark);
    const std::string minute = word.substr(mark + 1);
    const bool digits = !hour.empty() && hour.size() <= 2 && minute.size() == 2 &&
                        word.find_first_not_of("0123456789", mark + 1) == std::string::npos &&
                        hour.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) return std::nullopt;
    // A dot could be money ("2.50"), so only a colon is a time by itself.
    return Clock{std::stoi(hour), std::stoi(minute), at + 1, word[mark] == ':'};
  }
  const auto hour = whole_at(words, at, 0, 2359);
  if (!hour) return std::nullopt;
  if (hour->value >= 100) {  // "1900 hours", "nineteen hundred"
    if (hour->value % 100 >= 60) return std::nullopt;
    const std::size_t end = is_any(words, hour->end, {"hours", "hrs"}) ? hour->end + 1 : hour->end;
    return Clock{hour->value / 100, hour->value % 100, end, false};
  }
  Clock clock{hour->value, 0, hour->end, false};
  if (is_any(words, clock.end, {"oh", "o"})) {
    if (const auto minute = whole_at(words, clock.end + 1, 1, 9)) {
      clock.minute = minute->value;
      clock.end = minute->end;
    }
  } else if (const auto minute = whole_at(words, clock.end, 0, 59);
             minute && !is_unit(words, minute->end)) {
    clock.minute = minute->value;
    clock.end = minute->end;
  }
  if (is_any(words, clock.end, {"o'clock", "oclock"})) {
    ++clock.end;
    clock.certain = true;
  }
  return clock;
}

// "am", "p.m.", "in the evening", "at night", "tonight", "this morning", "morning".
std::optional<std::pair<Half, std::size_t>> half_at(const Words& words, std::size_t at) {
  if (is_any(words, at, {"am", "a.m"})) return std::pair{Half::am, at + 1};
  if (is_any(words, at, {"pm", "p.m"})) return std::pair{Half::pm, at + 1};
  if (is(words, at, "tonight")) return std::pair{Half::night, at + 1};
  if (is(words, at, "at") && is(words, at + 1, "night")) return std::pair{Half::night, at + 2};
  std::size_t next = at;
  if (is(words, at, "in") && is(words, at + 1, "the")) next = at + 2;
  if (is(words, at, "this")) next = at + 1;
  if (is(words, next, "morning")) return std::pair{Half::morning, next + 1};
  if (is_any(words, next, {"afternoon", "evening"})) return std::pair{Half::pm, next + 1};
  if (is(words, next, "night")) return std::pair{Half::night, next + 1};
  return std::nullopt;
}

// The 24-hour clock's hour, or -1 when the hour cannot be read with that half of the day.
int with_half(int hour, Half half) {
  switch (half) {
    case Half::none:
      return hour;
    case Half::am:
      return hour >= 1 && hour <= 12 ? hour % 12 : -1;
    case Half::pm:
      if (hour >= 13) return hour;  // "19:00 pm" says the same thing twice
      return hour >= 1 ? hour % 12 + 12 : -1;
    case Half::morning:
      return hour % 12;
    case Half::night:  // "at 10 at night" is 22:00, "at 2 at night" 02:00
      return hour == 12 ? 0 : (hour >= 6 && hour < 12 ? hour + 12 : hour);
  }
  return -1;
}

std::optional<TimeOfDay> time_at(const Words& words, std::size_t at) {
  std::optional<Clock> clock;
  if (is_any(words, at, {"noon", "midday"})) clock = Clock{12, 0, at + 1, true};
  if (is(words, at, "midnight")) clock = Clock{0, 0, at + 1, true};
  if (!clock) clock = relative_at(words, at);
  if (!clock) clock = absolute_at(words, at);
  if (!clock || is_unit(words, clock->end)) return std::nullopt;

  TimeOfDay time{clock->hour, clock->minute, false, {at, clock->end}};
  Half half = Half::none;
  // Before: "tomorrow morning at 7", "tonight at 8".
  std::size_t from = at;
  const bool preposition =
      from > 0 && is_any(words, from - 1, {"at", "for", "by", "until", "till"});
  if (preposition) --from;
  if (from > 0) {
    for (std::size_t start = from - 1;; --start) {
      if (const auto said = half_at(words, start); said && said->second == from) {
        half = said->first;
        from = start;
        break;
      }
      if (start == 0 || from - start == 3) break;
    }
  }
  if (from > 0 && is(words, from - 1, "tomorrow")) {
    time.tomorrow = true;
    --from;
  }
  // After: "7 pm", "7 in the evening tomorrow".
  std::size_t to = clock->end;
  for (int qualifiers = 0; qualifiers < 2; ++qualifiers) {
    if (is_any(words, to, {"tomorrow", "today"})) {
      time.tomorrow = time.tomorrow || words[to] == "tomorrow";
      ++to;
    } else if (const auto said = half_at(words, to); said && half == Half::none) {
      half = said->first;
      to = said->second;
    }
  }
  if (!clock->certain && !preposition && half == Half::none) return std::nullopt;
  time.hour = with_half(clock->hour, half);
  if (time.hour < 0 || time.hour > 23 || time.minute > 59) return std::nullopt;
  time.span = {from, to};
  return time;
}

std::string plural(std::int64_t count, std::string_view unit) {
  return std::to_string(count) + " " + std::string(unit) + (count == 1 ? "" : "s");
}

}  // namespace

std::vector<std::string> words_of(std::string_view text) {
  static constexpr std::string_view punctuation = ",;:!?\"'()[]#.";
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t\n\r", at);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(text.find_first_of(" \t\n\r", start), text.size());
    std::string word(text.substr(start, end - start));
    at = end;
    while (!word.empty() && punctuation.find(word.back()) != std::string_view::npos)
      word.pop_back();
    while (!word.empty() && punctuation.find(word.front()) != std::string_view::npos)
      word.erase(word.begin());
    // "30-second", "half-hour": the unit is a word of its own; "forty-two" stays whole.
    if (const auto dash = word.rfind('-');
        dash != std::string::npos && unit_seconds(lowercase(word.substr(dash + 1))) > 0) {
      for (auto piece : {word.substr(0, dash), word.substr(dash + 1)})
        if (!piece.empty()) words.push_back(piece);
      continue;
    }
    if (word.empty()) continue;
    if (!std::isdigit(static_cast<unsigned char>(word.front()))) {
      words.push_back(word);
      continue;
    }
    // "5min", "7:30pm", "1h30": digits (with their separators) and letters apart.
    auto numeric = [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == ',';
    };
    std::size_t piece = 0;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      if (i < word.size() && numeric(word[i]) == numeric(word[i - 1])) continue;
      words.push_back(word.substr(piece, i - piece));
      piece = i;
    }
  }
  return words;
}

std::optional<Duration> find_duration(const std::vector<std::string>& original) {
  const Words words = lowercase(original);
  for (std::size_t at = 0; at < words.size(); ++at) {
    const auto parts = parts_at(words, at);
    if (!parts || std::round(parts->seconds) < 1) continue;
    Span span{at, parts->end};
    if (at > 0 && is_any(words, at - 1, {"in", "for", "after", "within"})) --span.from;
    if (is(words, span.to, "from") && is(words, span.to + 1, "now")) span.to += 2;
    if (is(words, span.to, "later")) ++span.to;
    return Duration{std::round(parts->seconds), span};
  }
  return std::nullopt;
}

std::optional<TimeOfDay> find_time_of_day(const std::vector<std::string>& original) {
  const Words words = lowercase(original);
  for (std::size_t at = 0; at < words.size(); ++at)
    if (auto time = time_at(words, at)) return time;
  return std::nullopt;
}

std::time_t next_occurrence(std::time_t now, const TimeOfDay& time) {
  std::tm local{};
  localtime_r(&now, &local);
  for (int days = time.tomorrow ? 1 : 0;; ++days) {
    std::tm day = local;
    day.tm_mday += days;
    day.tm_hour = time.hour;
    day.tm_min = time.minute;
    day.tm_sec = 0;
    day.tm_isdst = -1;  // the day may be on the other side of a daylight saving change
    if (const std::time_t at = std::mktime(&day); at > now) return at;
  }
}

std::string spoken_duration(std::int64_t seconds) {
  std::vector<std::string> parts;
  if (seconds >= 86400) parts.push_back(plural(seconds / 86400, "day"));
  if (seconds % 86400 >= 3600) parts.push_back(plural(seconds % 86400 / 3600, "hour"));
  if (seconds % 3600 >= 60) parts.push_back(plural(seconds % 3600 / 60, "minute"));
  if (seconds % 60 > 0 || parts.empty()) parts.push_back(plural(seconds % 60, "second"));
  std::string text = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i)
    text += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return text;
}

std::string short_duration(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(seconds, 0);
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) {
    const std::string minutes = std::to_string(seconds / 60) + " min";
    return seconds % 60 == 0 ? minutes : minutes + " " + std::to_string(seconds % 60) + " s";
  }
  const std::int64_t minutes = (seconds + 59) / 60;
  const std::string hours = std::to_string(minutes / 60) + " h";
  return minutes % 60 == 0 ? hours : hours + " " + std::to_string(minutes % 60) + " min";
}

std::string clock_face(int hour, int minute) {
  auto two_digits = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return two_digits(hour) + ":" + two_digits(minute);
}

}  // namespace requip::when

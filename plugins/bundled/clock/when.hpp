#pragma once

// When something should happen, as people say it: durations ("5 minutes", "an hour and a
// half", "1 h 30") and times of day ("7am", "half past six", "19:00", "noon"). Pure
// functions with no plugin API, so that the clock skill's understanding can be tested alone.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip::when {

// The words of an utterance, in their original case, as the parsers below read them:
// punctuation around words is dropped, and "5min", "7pm", "1h30" and "30-second" are split
// into their number and unit.
std::vector<std::string> words_of(std::string_view text);

// The words [from, to) an expression took, with a leading "in", "at", "for"... and a
// trailing "from now" or "tomorrow", so that what is left is the rest of the sentence.
struct Span {
  std::size_t from;
  std::size_t to;
};

// A duration, rounded to whole seconds (at least one). It is a double because what people
// say is unbounded ("a million hours"): the caller decides what is too long.
struct Duration {
  double seconds;
  Span span;
};

// The first duration in the words: amounts in digits or words, units s/sec/second(s),
// m/min/minute(s), h/hr/hour(s), d/day(s), parts that add up ("1 hour and 30 minutes").
std::optional<Duration> find_duration(const std::vector<std::string>& words);

struct TimeOfDay {
  int hour;  // 0..23
  int minute;
  bool tomorrow;  // "tomorrow at 9": not today even if 9:00 is still ahead
  Span span;
};

// The first time of day in the words. Without "am"/"pm" or "in the evening" the hour is read
// on a 24-hour clock ("6:30" is 06:30). A bare number ("at 5") is a time only after "at",
// "for", "by" or "until", so that "2 pills" or "timer 2" are not.
std::optional<TimeOfDay> find_time_of_day(const std::vector<std::string>& words);

// The next moment, after now, at which the local clock shows the time of day.
std::time_t next_occurrence(std::time_t now, const TimeOfDay& time);

// "1 hour and 30 minutes", "1 second": a duration to repeat back.
std::string spoken_duration(std::int64_t seconds);

// "9 h 12 min", "4 min 59 s", "45 s": how long until something, rounded up. Beyond an hour
// the seconds would only be noise, so it is rounded up to minutes.
std::string short_duration(std::int64_t seconds);

// "07:30".
std::string clock_face(int hour, int minute);

}  // namespace requip::when

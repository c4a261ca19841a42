#pragma once

// What the clock skill keeps pending (timers, alarms, reminders), how each is said when it
// falls due, and how it is written into the state handed over on a live swap.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace requip::clock {

enum class Kind { timer, alarm, reminder };
constexpr std::array<std::string_view, 3> kind_names{"timer", "alarm", "reminder"};

std::string_view name_of(Kind kind);
// "a timer", "an alarm".
std::string with_article(Kind kind);

struct Pending {
  Kind kind;
  std::int64_t due_ms;  // since the epoch, so that it survives a hand-over as text
  std::string label;    // "5 minutes", "07:00", "call mum"
};

// "Timer done: 5 minutes.", "Reminder: call mum".
std::string due_line(const Pending& item);
// "timer (5 minutes)".
std::string describe(const Pending& item);

// One item of a saved state: "<kind>\t<due_ms>\t<label>". Version 1.0.0 wrote
// "<due_ms>\t<its due line>", which is still read, so that a swap from it keeps what it held.
std::optional<Pending> parse_state_line(std::string_view line);

}  // namespace requip::clock

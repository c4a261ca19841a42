#include "pending.hpp"

#include <fmt/format.h>

#include <charconv>

namespace requip::clock {

std::string_view name_of(Kind kind) {
  return kind_names[static_cast<std::size_t>(kind)];
}

std::string with_article(Kind kind) {
  return fmt::format("{} {}", kind == Kind::alarm ? "an" : "a", name_of(kind));
}

std::string due_line(const Pending& item) {
  switch (item.kind) {
    case Kind::timer:
      return fmt::format("Timer done: {}.", item.label);
    case Kind::alarm:
      return fmt::format("Alarm: {}.", item.label);
    case Kind::reminder:
      break;
  }
  return fmt::format("Reminder: {}", item.label);
}

std::string describe(const Pending& item) {
  return fmt::format("{} ({})", name_of(item.kind), item.label);
}

std::optional<Pending> parse_state_line(std::string_view line) {
  const auto tab = line.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  std::string_view due = line.substr(0, tab);
  std::string_view rest = line.substr(tab + 1);
  std::optional<Kind> kind;
  for (std::size_t i = 0; i < kind_names.size(); ++i)
    if (due == kind_names[i]) kind = static_cast<Kind>(i);
  if (kind) {
    const auto second = rest.find('\t');
    if (second == std::string_view::npos) return std::nullopt;
    due = rest.substr(0, second);
    rest = rest.substr(second + 1);
  }
  std::int64_t due_ms = 0;
  const auto [end, error] = std::from_chars(due.data(), due.data() + due.size(), due_ms);
  if (error != std::errc() || end != due.data() + due.size()) return std::nullopt;
  if (kind) return Pending{*kind, due_ms, std::string(rest)};
  if (rest.starts_with("Timer done: ") && rest.ends_with(".")) {
    return Pending{Kind::timer, due_ms, std::string(rest.substr(12, rest.size() - 13))};
  }
  if (rest.starts_with("Reminder: ")) rest.remove_prefix(10);
  return Pending{Kind::reminder, due_ms, std::string(rest)};
}

}  // namespace requip::clock

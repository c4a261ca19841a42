#include "requip/plugins/isolation.hpp"

namespace requip::plugins {

std::string_view to_string(Isolation isolation) {
  return isolation == Isolation::process ? "process" : "inprocess";
}

std::optional<Isolation> parse_isolation(std::string_view text) {
  if (text == "process") return Isolation::process;
  if (text == "inprocess") return Isolation::in_process;
  return std::nullopt;
}

}  // namespace requip::plugins

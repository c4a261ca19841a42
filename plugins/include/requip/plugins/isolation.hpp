#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace requip::plugins {

// Where a plugin's code runs. In process it shares the agent's address space: fastest, and a
// crash in it is the agent's crash. Out of process it runs in a host process of its own
// (requip-plugin-host): a crash or a hang there costs the turn that met it, and the host is
// restarted for the next.
enum class Isolation { in_process, process };

std::string_view to_string(Isolation isolation);
std::optional<Isolation> parse_isolation(std::string_view text);  // "process", "inprocess"

// What a plugin host process may use.
struct ProcessLimits {
  // Its address space; an allocation past it ends the host, reported as out of memory.
  std::uint64_t memory_bytes = std::uint64_t{1} << 30;
};

}  // namespace requip::plugins

#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <type_traits>

namespace requip::cli {

// Options several commands take, declared once so that each has one name, one help text and
// one environment variable everywhere: `--threads` means and reads the same in serve as in
// train. Each command says which of them it takes; the values live in the command's own
// options struct.
enum class SharedOption {
  json,
  threads,
  seed,
  database,
  plugins,
  turn_timeout,
  no_router,
  follow_up_timeout,
  isolation,
  plugin_memory
};

// "--json", ...: also for messages that tell the user which option to pass.
const char* shared_option_name(SharedOption which);

// Gives `option` the shared help text, environment variable and check of `which`.
void describe_shared_option(CLI::Option& option, SharedOption which);

// A flag for a bool, otherwise an option showing the value's default in --help.
template <class T>
CLI::Option* add_shared_option(CLI::App& command, SharedOption which, T& value) {
  CLI::Option* option = nullptr;
  if constexpr (std::is_same_v<T, bool>) {
    option = command.add_flag(shared_option_name(which), value);
  } else {
    option = command.add_option(shared_option_name(which), value)->capture_default_str();
  }
  describe_shared_option(*option, which);
  return option;
}

// A --turn-timeout or --follow-up-timeout value, given in seconds.
inline std::chrono::milliseconds milliseconds_of(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace requip::cli

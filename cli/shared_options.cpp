#include "shared_options.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <stdexcept>

namespace requip::cli {

namespace {

struct Description {
  SharedOption which;
  const char* name;
  const char* help;
  const char* environment;
  std::optional<CLI::Validator> check;
};

const Description& description_of(SharedOption which) {
  // Built on first use, so that the CLI11 validators it copies exist by then.
  static const std::array<Description, 10> table{{
      {SharedOption::json, "--json", "print one JSON object", "REQUIP_JSON", std::nullopt},
      {SharedOption::threads, "--threads", "CPU threads to use", "REQUIP_THREADS",
       CLI::Range(1, 256)},
      {SharedOption::seed, "--seed",
       "seed of every random draw (the same seed gives the same result)", "REQUIP_SEED",
       std::nullopt},
      {SharedOption::database, "--db",
       "database file for memory, mappings and feedback "
       "(default: $XDG_DATA_HOME/requip/requip.db)",
       "REQUIP_DB", std::nullopt},
      {SharedOption::plugins, "--plugins",
       "plugin folder to load and watch, instead of $XDG_DATA_HOME/requip/plugins "
       "(bundled plugins load too)",
       "REQUIP_PLUGINS", std::nullopt},
      {SharedOption::turn_timeout, "--turn-timeout",
       "seconds a turn may take before it is reported as stuck (a timeout error)",
       "REQUIP_TURN_TIMEOUT", CLI::PositiveNumber},
      {SharedOption::no_router, "--no-router",
       "let every skill see each input instead of the learned router choosing one",
       "REQUIP_NO_ROUTER", std::nullopt},
      {SharedOption::follow_up_timeout, "--follow-up-timeout",
       "seconds a skill's question (\"What should the note say?\") waits for the next input "
       "as its answer",
       "REQUIP_FOLLOW_UP_TIMEOUT", CLI::PositiveNumber},
      {SharedOption::isolation, "--isolation",
       "where the user folder's plugins run: 'process' (each in a host process of its own, so "
       "a crash or hang costs one turn) or 'inprocess' (bundled plugins always run in process)",
       "REQUIP_ISOLATION", CLI::IsMember({"process", "inprocess"})},
      {SharedOption::plugin_memory, "--plugin-memory",
       "MiB of address space each plugin host process may use; past it the host ends and the "
       "turn reports it",
       "REQUIP_PLUGIN_MEMORY", CLI::Range(16, 1 << 20)},
  }};
  for (const auto& description : table) {
    if (description.which == which) return description;
  }
  throw std::logic_error("a shared option without a description");
}

}  // namespace

const char* shared_option_name(SharedOption which) {
  return description_of(which).name;
}

void describe_shared_option(CLI::Option& option, SharedOption which) {
  const Description& description = description_of(which);
  option.description(description.help);
  option.envname(description.environment);
  if (!description.check) return;
  // The value may come from the environment, set for another command: the error names both.
  const CLI::Validator check = *description.check;
  const std::string source =
      fmt::format("(from {} or ${})", description.name, description.environment);
  option.check(CLI::Validator(
      [check, source](std::string& value) {
        const std::string error = CLI::Validator(check)(value);
        return error.empty() ? error : error + " " + source;
      },
      check.get_description()));
}

}  // namespace requip::cli

#include "program.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <map>
#include <memory>

#include "requip/core/log.hpp"

namespace requip::cli {

void add_log_level_option(CLI::App& app) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("requip"));
  auto level = std::make_shared<std::string>("warn");
  app.add_option("--log-level", *level, "trace, debug, info, warn, error or off")
      ->envname("REQUIP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.parse_complete_callback([level] {
    spdlog::set_level(spdlog::level::from_str(*level));
    const std::map<std::string, LogLevel> library_levels{
        {"trace", LogLevel::debug}, {"debug", LogLevel::debug}, {"info", LogLevel::info},
        {"warn", LogLevel::warn},   {"error", LogLevel::error}, {"off", LogLevel::off}};
    set_log_level(library_levels.at(*level));
  });
}

int run_program(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    // The name it was run by: requip runs requip-moe as `requip` for the commands it hands on.
    fmt::print(stderr, "{}: {}\n", std::filesystem::path(argv[0]).filename().string(),
               error.what());
    return 1;
  }
  return 0;
}

}  // namespace requip::cli

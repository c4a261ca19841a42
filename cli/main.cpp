#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "commands.hpp"
#include "options.hpp"
#include "requip/core/log.hpp"
#include "requip/core/version.hpp"

int main(int argc, char** argv) {
  // Training frees and reallocates the same large activation buffers every step. glibc would
  // hand them back to the kernel and fault them in again page by page, about a tenth of a step;
  // keeping freed memory for reuse costs only a peak-sized resident set.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // Logs and errors go to stderr: stdout carries replies and data (`memory export --json`).
  spdlog::set_default_logger(spdlog::stderr_color_mt("requip"));
  CLI::App app{"requip: an agent whose skills are swapped live and chosen by a learned router"};
  app.set_version_flag("--version", "requip " REQUIP_VERSION_STRING);
  app.require_subcommand(1);

  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("REQUIP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  // Global options are accepted after the subcommand too: `requip chat --db FILE`.
  app.fallthrough();
  requip::cli::GlobalOptions options;
  app.add_option("--db", options.db,
                 "database file for memory, mappings and feedback "
                 "(default: $XDG_DATA_HOME/requip/requip.db)")
      ->envname("REQUIP_DB");
  app.parse_complete_callback([&] {
    spdlog::set_level(spdlog::level::from_str(log_level));
    const std::map<std::string, requip::LogLevel> library_levels{
        {"trace", requip::LogLevel::debug}, {"debug", requip::LogLevel::debug},
        {"info", requip::LogLevel::info},   {"warn", requip::LogLevel::warn},
        {"error", requip::LogLevel::error}, {"off", requip::LogLevel::off}};
    requip::set_log_level(library_levels.at(log_level));
  });

  requip::cli::add_chat_command(app, options);
  requip::cli::add_memory_command(app, options);
  requip::cli::add_serve_command(app, options);
  requip::cli::add_bench_command(app);
  requip::cli::add_plugins_command(app);
  requip::cli::add_train_command(app);
  requip::cli::add_sample_command(app);
  requip::cli::add_moe_command(app);
  requip::cli::add_eval_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    fmt::print(stderr, "requip: {}\n", error.what());
    return 1;
  }
  return 0;
}

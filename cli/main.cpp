#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "requip/core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"requip: an agent whose skills are swapped live and chosen by a learned router"};
  app.set_version_flag("--version", "requip " REQUIP_VERSION_STRING);
  app.require_subcommand(1);

  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("REQUIP_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.parse_complete_callback([&] { spdlog::set_level(spdlog::level::from_str(log_level)); });

  requip::cli::add_chat_command(app);
  requip::cli::add_bench_command(app);
  requip::cli::add_eval_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return 1;
  }
  return 0;
}

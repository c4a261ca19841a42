#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "options.hpp"
#include "program.hpp"
#include "requip/core/version.hpp"
#include "shared_options.hpp"

int main(int argc, char** argv) {
  CLI::App app{"requip: an agent whose skills are swapped live and chosen by a learned router",
               "requip"};
  app.set_version_flag("--version", "requip " REQUIP_VERSION_STRING);
  app.require_subcommand(1);

  requip::cli::add_log_level_option(app);
  // Global options are accepted after the subcommand too: `requip chat --db FILE`.
  app.fallthrough();
  requip::cli::GlobalOptions options;
  requip::cli::add_shared_option(app, requip::cli::SharedOption::database, options.db);
  requip::cli::add_chat_command(app, options);
  requip::cli::add_memory_command(app, options);
  requip::cli::add_serve_command(app, options);
  auto& bench = requip::cli::add_bench_command(app);
  requip::cli::add_plugins_command(app);
  requip::cli::add_eval_command(app);
  requip::cli::add_moe_tool_commands(app, bench);

  return requip::cli::run_program(app, argc, argv);
}

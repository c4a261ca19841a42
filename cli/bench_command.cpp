#include <CLI/CLI.hpp>

#include "bench.hpp"
#include "commands.hpp"

namespace requip::cli {

CLI::App& add_bench_command(CLI::App& app) {
  auto* bench = app.add_subcommand("bench", "measure performance; figures with same-run baselines");
  bench->require_subcommand(1);
  add_bench_brain(*bench);
  add_bench_plugins(*bench);
  add_bench_memory(*bench);
  add_bench_serve(*bench);
  add_bench_start(*bench);
  return *bench;
}

}  // namespace requip::cli

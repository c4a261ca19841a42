#include <CLI/CLI.hpp>

#include "bench.hpp"
#include "commands.hpp"

namespace requip::cli {

void add_bench_command(CLI::App& app) {
  auto* bench = app.add_subcommand("bench", "measure performance; figures with same-run baselines");
  bench->require_subcommand(1);
  add_bench_brain(*bench);
  add_bench_plugins(*bench);
  add_bench_memory(*bench);
  add_bench_lm(*bench);
  add_bench_moe(*bench);
  add_bench_serve(*bench);
  add_bench_distributed(*bench);
}

}  // namespace requip::cli

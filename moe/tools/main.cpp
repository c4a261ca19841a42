// requip-moe: the MoE language model's tools (training, sampling, the demo and its
// benchmarks), the one program of requip that loads LibTorch. `requip train`, `requip sample`,
// `requip moe` and `requip bench moe|lm|distributed` run it.
#include <malloc.h>
#include <CLI/CLI.hpp>

#include "moe_commands.hpp"
#include "program.hpp"
#include "requip/core/version.hpp"

int main(int argc, char** argv) {
  // Training frees and reallocates the same large activation buffers every step. glibc would
  // hand them back to the kernel and fault them in again page by page, about a tenth of a step;
  // keeping freed memory for reuse costs only a peak-sized resident set.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // Unnamed, the app takes its name from argv[0]: `requip` when requip runs it.
  CLI::App app{"requip-moe: train, sample and measure the tinymoe language model"};
  app.set_version_flag("--version", "requip-moe " REQUIP_VERSION_STRING);
  app.require_subcommand(1);
  app.fallthrough();
  requip::cli::add_log_level_option(app);
  requip::cli::add_train_command(app);
  requip::cli::add_sample_command(app);
  requip::cli::add_moe_command(app);
  auto* bench =
      app.add_subcommand("bench", "measure the MoE layer, the LM and distributed training");
  bench->require_subcommand(1);
  requip::cli::add_bench_moe(*bench);
  requip::cli::add_bench_lm(*bench);
  requip::cli::add_bench_distributed(*bench);
  return requip::cli::run_program(app, argc, argv);
}

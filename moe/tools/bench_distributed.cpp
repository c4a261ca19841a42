#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <torch/utils.h>
#include <unistd.h>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "paths.hpp"
#include "rank_launcher.hpp"
#include "requip/moe/lm_trainer.hpp"
#include "requip/moe/process_group.hpp"
#include "shared_options.hpp"
#include "stopwatch.hpp"

namespace requip::cli {

namespace {

constexpr int ranks = 2;

struct BenchDistributedOptions {
  bool json = false;
  int steps = 10;
  std::string as_rank;  // internal: "data" or "expert" when started as a rank of a measurement
  std::string result;   // internal: where rank 0 writes its figures
};

struct Throughput {
  double tokens_per_second = 0;
  double comm_fraction = 0;  // of step time, waiting for collectives
  double cpu_seconds = 0;    // this process's CPU time over the timed steps, every thread
};

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Trains the seed's model for warm-up and then `steps` timed steps at 1 thread, alone or as one
// rank of `group`; the global batch is the seed's 32 windows either way.
Throughput measure(const std::shared_ptr<moe::ProcessGroup>& group, bool expert_parallel,
                   int steps) {
  torch::set_num_threads(1);
  const std::filesystem::path data =
      required_vendored_data("tinyshakespeare.txt", "set REQUIP_DATA_DIR to the folder holding it");
  moe::LmConfig config;
  const moe::CharCorpus corpus(data, config.block_size);
  config.vocab_size = corpus.vocab().size();
  moe::TrainConfig training;
  const int world = group ? group->world_size() : 1;
  training.batch_size /= world;
  training.expert_parallel = expert_parallel;
  moe::LmTrainer trainer(config, training, corpus, group);
  for (int i = 0; i < 2; ++i)
    trainer.step();
  if (group) group->take_wait_seconds();
  const double cpu_start = process_cpu_seconds();
  const double seconds = seconds_in([&] {
    for (int i = 0; i < steps; ++i)
      trainer.step();
  });
  Throughput t;
  t.cpu_seconds = process_cpu_seconds() - cpu_start;
  t.tokens_per_second =
      static_cast<double>(steps * training.batch_size * world * config.block_size) / seconds;
  if (group) t.comm_fraction = group->take_wait_seconds() / seconds;
  return t;
}

// Runs the measurement on `ranks` local ranks; rank 0 hands its figures back through a file.
Throughput measure_on_ranks(const std::string& parallelism, int steps) {
  const std::filesystem::path result =
      std::filesystem::temp_directory_path() / fmt::format("requip-bench-{}.json", getpid());
  const int code =
      launch_local_ranks(ranks, {"requip", "bench", "distributed", "--as-rank", parallelism,
                                 "--result", result.string(), "--steps", std::to_string(steps)});
  if (code != 0) {
    std::filesystem::remove(result);
    throw std::runtime_error(fmt::format("the {} parallel ranks failed", parallelism));
  }
  const auto figures = nlohmann::json::parse(std::ifstream(result));
  std::filesystem::remove(result);
  return {figures.at("tokens_per_second"), figures.at("comm_fraction"), figures.at("cpu_seconds")};
}

void run_as_rank(const BenchDistributedOptions& options) {
  const auto group = std::make_shared<moe::ProcessGroup>(moe::Rendezvous::from_environment());
  const Throughput t = measure(group, options.as_rank == "expert", options.steps);
  if (group->rank() == 0) {
    std::ofstream(options.result) << nlohmann::json{{"tokens_per_second", t.tokens_per_second},
                                                    {"comm_fraction", t.comm_fraction},
                                                    {"cpu_seconds", t.cpu_seconds}};
  }
}

void bench_distributed(const BenchDistributedOptions& options) {
  if (!options.as_rank.empty()) return run_as_rank(options);
  const Throughput single = measure(nullptr, false, options.steps);
  const Throughput data = measure_on_ranks("data", options.steps);
  const Throughput expert = measure_on_ranks("expert", options.steps);
  const double dp_efficiency = data.tokens_per_second / (ranks * single.tokens_per_second);
  const double ep_efficiency = expert.tokens_per_second / (ranks * single.tokens_per_second);
  // On a shared machine the ranks may not get a core each; CPU time tells what the split
  // itself costs: one process's CPU time for the steps over all ranks' (rank 0's times W).
  const double dp_cpu_efficiency = single.cpu_seconds / (ranks * data.cpu_seconds);
  const double ep_cpu_efficiency = single.cpu_seconds / (ranks * expert.cpu_seconds);
  if (options.json) {
    fmt::print("{}\n", nlohmann::json{{"single_tokens_per_s", single.tokens_per_second},
                                      {"dp_tokens_per_s", data.tokens_per_second},
                                      {"ep_tokens_per_s", expert.tokens_per_second},
                                      {"dp_scaling_efficiency", dp_efficiency},
                                      {"ep_scaling_efficiency", ep_efficiency},
                                      {"dp_comm_fraction", data.comm_fraction},
                                      {"ep_comm_fraction", expert.comm_fraction},
                                      {"dp_cpu_efficiency", dp_cpu_efficiency},
                                      {"ep_cpu_efficiency", ep_cpu_efficiency}}
                           .dump());
    return;
  }
  fmt::print("seed config, global batch 32x128, {} ranks x 1 thread against 1 process x 1 thread\n",
             ranks);
  fmt::print("  1 process          {:8.0f} tokens/s\n", single.tokens_per_second);
  const char* row =
      "  {:18} {:8.0f} tokens/s  efficiency {:.2f}  communication {:.0f}%  CPU efficiency {:.2f}\n";
  fmt::print(fmt::runtime(row), "data parallel", data.tokens_per_second, dp_efficiency,
             100 * data.comm_fraction, dp_cpu_efficiency);
  fmt::print(fmt::runtime(row), "expert parallel", expert.tokens_per_second, ep_efficiency,
             100 * expert.comm_fraction, ep_cpu_efficiency);
}

}  // namespace

void add_bench_distributed(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "distributed",
      "training throughput of 2 ranks x 1 thread, data and expert parallel, against 1 process "
      "x 1 thread at the seed's config and global batch");
  auto options = std::make_shared<BenchDistributedOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--steps", options->steps, "timed training steps per measurement")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  // How the benchmark starts its own ranks; not for users.
  command->add_option("--as-rank", options->as_rank)
      ->check(CLI::IsMember({"data", "expert"}))
      ->group("");
  command->add_option("--result", options->result)->group("");
  command->callback([options] { bench_distributed(*options); });
}

}  // namespace requip::cli

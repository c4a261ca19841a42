#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <torch/utils.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "paths.hpp"
#include "requip/moe/lm_generator.hpp"
#include "requip/moe/lm_trainer.hpp"
#include "shared_options.hpp"
#include "stopwatch.hpp"

namespace requip::cli {

namespace {

struct BenchLmOptions {
  bool json = false;
  int steps = 10;
  int threads = 2;
};

// Median seconds per training step after two warm-up steps, at the seed's config.
double median_step_seconds(const moe::LmConfig& config, const moe::CharCorpus& corpus, int steps) {
  moe::LmTrainer trainer(config, moe::TrainConfig{}, corpus);
  for (int i = 0; i < 2; ++i)
    trainer.step();
  std::vector<double> seconds;
  for (int i = 0; i < steps; ++i)
    seconds.push_back(seconds_in([&] { trainer.step(); }));
  std::nth_element(seconds.begin(), seconds.begin() + steps / 2, seconds.end());
  return seconds[static_cast<std::size_t>(steps / 2)];
}

double generate_seconds(moe::LanguageModel& model, bool kv_cache) {
  moe::SampleOptions options;
  options.kv_cache = kv_cache;
  return seconds_in([&] { moe::generate(model, {0}, options); });
}

void bench_lm(const BenchLmOptions& options) {
  torch::set_num_threads(options.threads);
  const std::filesystem::path data =
      required_vendored_data("tinyshakespeare.txt", "set REQUIP_DATA_DIR to the folder holding it");
  moe::LmConfig config;
  const moe::CharCorpus corpus(data, config.block_size);
  config.vocab_size = corpus.vocab().size();
  moe::LmConfig dense_config = config;
  dense_config.dense = true;

  const double moe_step = median_step_seconds(config, corpus, options.steps);
  const double dense_step = median_step_seconds(dense_config, corpus, options.steps);
  moe::LanguageModel model(config);
  generate_seconds(model, true);  // warm-up: allocator and first-call dispatch
  const double generate_cached = generate_seconds(model, true);
  const double generate_uncached = generate_seconds(model, false);

  if (options.json) {
    fmt::print("{}\n", nlohmann::json{{"train_step_s", moe_step},
                                      {"dense_train_step_s", dense_step},
                                      {"generate_500_s", generate_cached},
                                      {"generate_500_no_cache_s", generate_uncached}}
                           .dump());
    return;
  }
  fmt::print(
      "lm: seed config (4 layers, 4 heads, width 128, 8 experts top-2, batch 32x128), {} "
      "threads\n",
      options.threads);
  fmt::print("  train step (MoE)          {:>8.4f} s  median of {}\n", moe_step, options.steps);
  fmt::print("  train step (dense, same active FLOPs) {:>8.4f} s  MoE/dense {:.2f}x\n", dense_step,
             moe_step / dense_step);
  fmt::print("  generate 500 chars        {:>8.4f} s  KV cache\n", generate_cached);
  fmt::print("  generate 500, no cache    {:>8.4f} s  cache speed-up {:.1f}x\n", generate_uncached,
             generate_uncached / generate_cached);
}

}  // namespace

void add_bench_lm(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "lm", "tinymoe training step and 500-character generation at the seed's config");
  auto options = std::make_shared<BenchLmOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--steps", options->steps, "training steps to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_shared_option(*command, SharedOption::threads, options->threads);
  command->callback([options] { bench_lm(*options); });
}

}  // namespace requip::cli

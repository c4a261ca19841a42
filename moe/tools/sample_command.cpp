#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <torch/utils.h>

#include "moe_commands.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/lm_generator.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct SampleCommandOptions {
  std::string model = "tinymoe.pt";
  std::string prompt;
  int threads = 1;
  moe::SampleOptions sampling;
};

void sample(const SampleCommandOptions& options) {
  torch::set_num_threads(options.threads);
  moe::LmCheckpoint checkpoint = moe::load_checkpoint(options.model);
  std::vector<std::int64_t> prompt;
  try {
    prompt = checkpoint.vocab.encode(options.prompt);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(
        fmt::format("--prompt: {}; use characters from the training text", error.what()));
  }
  fmt::print("{}", options.prompt);
  moe::generate(checkpoint.model, prompt, options.sampling, [&](std::int64_t id) {
    fmt::print("{}", checkpoint.vocab.decode({id}));
    std::fflush(stdout);
  });
  fmt::print("\n");
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto* command = app.add_subcommand("sample", "generate text from a trained tinymoe checkpoint");
  auto options = std::make_shared<SampleCommandOptions>();
  command->add_option("--model", options->model, "checkpoint written by `requip train`")
      ->capture_default_str();
  command->add_option("--prompt", options->prompt, "text to continue (default: none)");
  command->add_option("--chars", options->sampling.count, "characters to generate")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--temperature", options->sampling.temperature, "softmax temperature")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--top-k", options->sampling.top_k, "sample among the k likeliest (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_shared_option(*command, SharedOption::seed, options->sampling.seed);
  add_shared_option(*command, SharedOption::threads, options->threads);
  command->callback([options] { sample(*options); });
}

}  // namespace requip::cli

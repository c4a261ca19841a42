#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <torch/utils.h>

#include <map>
#include <string>

#include "moe_commands.hpp"
#include "paths.hpp"
#include "progress_bar.hpp"
#include "rank_launcher.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/lm_trainer.hpp"
#include "requip/moe/process_group.hpp"
#include "shared_options.hpp"
#include "train_report.hpp"

namespace requip::cli {

namespace {

struct TrainOptions {
  std::string data;
  std::string out = "tinymoe.pt";
  std::string report;
  std::string init;
  torch::ScalarType weights = torch::kFloat32;
  int threads = 2;
  int nproc = 1;
  bool data_parallel = false;
  moe::LmConfig model;
  moe::TrainConfig training;
};

std::string eval_line(const moe::EvalPoint& eval) {
  std::string line = fmt::format("step {:5} | train {:.3f} | val {:.3f}", eval.step,
                                 eval.train_loss, eval.val_loss);
  if (!eval.max_over_mean.empty()) {
    line += " | max/mean load";
    for (double ratio : eval.max_over_mean)
      line += fmt::format(" {:.2f}", ratio);
    std::int64_t dead = 0;
    for (std::int64_t count : eval.dead_experts)
      dead += count;
    line += fmt::format(" | dead experts {}", dead);
  }
  return line;
}

void add_model_options(CLI::App& command, moe::LmConfig& model) {
  command.add_option("--block", model.block_size, "context length in characters")
      ->capture_default_str();
  command.add_option("--embed", model.moe.d_model, "embedding width")->capture_default_str();
  command.add_option("--heads", model.n_head, "attention heads")->capture_default_str();
  command.add_option("--layers", model.n_layer, "transformer blocks")->capture_default_str();
  command.add_option("--experts", model.moe.experts, "experts per MoE layer")
      ->capture_default_str();
  command.add_option("--top-k", model.moe.top_k, "experts run per token")->capture_default_str();
  command.add_option("--expert-hidden", model.moe.d_hidden, "hidden width of each expert")
      ->capture_default_str();
  command.add_option("--dropout", model.dropout, "dropout probability")->capture_default_str();
  command.add_flag("--dense", model.dense,
                   "a dense FFN of width top-k x expert-hidden instead of the MoE (same active "
                   "FLOPs)");
}

void add_training_options(CLI::App& command, moe::TrainConfig& training) {
  command.add_option("--steps", training.steps, "optimiser steps")->capture_default_str();
  command.add_option("--batch", training.batch_size, "windows per step")->capture_default_str();
  command.add_option("--lr", training.learning_rate, "AdamW learning rate")->capture_default_str();
  command
      .add_option("--aux-loss", training.aux_loss,
                  "weight of each MoE layer's load-balancing loss (0 lets routing collapse)")
      ->capture_default_str();
  command.add_option("--z-loss", training.z_loss, "weight of each MoE layer's router z-loss")
      ->capture_default_str();
  command.add_option("--eval-every", training.eval_every, "steps between evaluations")
      ->capture_default_str();
  command.add_option("--eval-batches", training.eval_batches, "batches per split per evaluation")
      ->capture_default_str();
  add_shared_option(command, SharedOption::seed, training.seed);
}

void train(const TrainOptions& options) {
  if (options.nproc > 1) {
    if (const int code = launch_local_ranks(options.nproc, command_line_without_nproc()); code != 0)
      std::exit(code);
    return;
  }
  torch::set_num_threads(options.threads);
  const moe::Rendezvous rendezvous = moe::Rendezvous::from_environment();
  std::shared_ptr<moe::ProcessGroup> group;
  if (rendezvous.world_size > 1) group = std::make_shared<moe::ProcessGroup>(rendezvous);
  // Rank 0 speaks for the run: it logs, reports and writes the checkpoint.
  const bool speaker = rendezvous.rank == 0;
  std::filesystem::path data = options.data;
  if (data.empty())
    data = required_vendored_data("tinyshakespeare.txt", "pass --data FILE or set REQUIP_DATA_DIR");
  moe::LmConfig model_config = options.model;
  moe::LmCheckpoint start;
  if (!options.init.empty()) {
    start = moe::load_checkpoint(options.init);
    model_config = start.model->config();
  }
  moe::CharCorpus corpus(data, model_config.block_size);
  if (start.model && start.vocab.symbols() != corpus.vocab().symbols())
    throw std::runtime_error(fmt::format(
        "--init {} was trained on text with another vocabulary than {}; pass the same --data",
        options.init, data.string()));
  model_config.vocab_size = corpus.vocab().size();
  model_config.validate();

  moe::LmTrainer trainer(model_config, options.training, corpus, group, start.model);
  // The whole model's size: under expert parallelism this rank holds only its share of experts.
  std::int64_t parameters = 0;
  for (const auto& parameter : trainer.model()->parameters())
    parameters += parameter.numel();
  for (const auto& module : trainer.model()->modules()) {
    const auto* layer = module->as<moe::SparseMoeImpl>();
    if (layer == nullptr || !layer->expert_group()) continue;
    for (const auto& parameter : layer->experts->parameters())
      parameters += parameter.numel() * (layer->expert_group()->world_size() - 1);
  }
  const std::string summary = fmt::format(
      "{:.2f}M parameters, {} layers, {}; {} ({} training / {} validation characters, vocab {}, "
      "unigram entropy {:.3f}); {} steps of {}x{}, {} threads{}",
      parameters / 1e6, model_config.n_layer,
      model_config.dense
          ? fmt::format("dense FFN {}", model_config.moe.top_k * model_config.moe.d_hidden)
          : fmt::format("{} experts top-{}", model_config.moe.experts, model_config.moe.top_k),
      data.string(), corpus.train().size(0), corpus.val().size(0), corpus.vocab().size(),
      corpus.unigram_entropy(), options.training.steps,
      options.training.batch_size * rendezvous.world_size, model_config.block_size, options.threads,
      group ? fmt::format(" on each of {} ranks, {} parallel", rendezvous.world_size,
                          options.training.expert_parallel ? "expert" : "data")
            : "");
  if (!speaker) {
    trainer.run();
    trainer.gather_experts();
    return;
  }
  fmt::print("{}\n", summary);
  std::fflush(stdout);

  const std::string title = fmt::format("tinymoe training: {}, aux loss {}, seed {}",
                                        model_config.dense ? "dense FFN" : "sparse MoE",
                                        options.training.aux_loss, options.training.seed);
  TrainingHistory history{title, summary, {}, {}};
  ProgressBar bar("train", options.training.steps, "steps");
  moe::TrainCallbacks callbacks;
  callbacks.on_step = [&](std::int64_t step, double loss) {
    history.step_loss.push_back(loss);
    bar.update(step, fmt::format("loss {:.3f}", loss));
  };
  callbacks.on_eval = [&](const moe::EvalPoint& eval) {
    bar.clear();
    fmt::print("{}\n", eval_line(eval));
    std::fflush(stdout);
    // Rewritten at every evaluation, so that a long run has a report while it goes on.
    history.evals.push_back(eval);
    if (!options.report.empty()) write_training_report(options.report, history);
  };
  trainer.run(callbacks);
  bar.finish();
  trainer.gather_experts();

  moe::save_checkpoint(options.out, trainer.model(), corpus.vocab(), options.weights);
  fmt::print("saved {}\n", options.out);
  if (!options.report.empty()) {
    write_training_report(options.report, history);
    fmt::print("report {}\n", options.report);
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto* command = app.add_subcommand("train", "train the tinymoe character language model");
  auto options = std::make_shared<TrainOptions>();
  command
      ->add_option("--data", options->data,
                   "text file to learn (default: the vendored data/tinyshakespeare.txt)")
      ->check(CLI::ExistingFile);
  command->add_option("--out", options->out, "checkpoint to write")->capture_default_str();
  command->add_option("--report", options->report, "write an HTML report of the run here");
  const std::map<std::string, torch::ScalarType> weight_types{
      {"float32", torch::kFloat32}, {"float16", torch::kFloat16}, {"bfloat16", torch::kBFloat16}};
  command
      ->add_option("--store", options->weights,
                   "element type of the weights in the checkpoint; float16 halves the file "
                   "(training itself runs in float32)")
      ->transform(CLI::CheckedTransformer(weight_types))
      ->default_str("float32");
  command
      ->add_option("--init", options->init,
                   "start from this checkpoint's weights and shape (the shape options are then "
                   "ignored), whether one process or several ranks wrote it")
      ->check(CLI::ExistingFile);
  add_shared_option(*command, SharedOption::threads, options->threads);
  command
      ->add_option("--nproc", options->nproc,
                   "run this many ranks on this machine as one distributed run; across machines, "
                   "start one process per rank with RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  auto* data_parallel =
      command->add_flag("--data-parallel", options->data_parallel,
                        "with several ranks, replicate the whole model and average gradients "
                        "(the default)");
  command
      ->add_flag("--expert-parallel", options->training.expert_parallel,
                 "with several ranks, each rank holds experts / ranks of every MoE layer and "
                 "tokens travel to their experts; the rest is data parallel")
      ->excludes(data_parallel);
  add_model_options(*command, options->model);
  add_training_options(*command, options->training);
  command->callback([options] { train(*options); });
}

}  // namespace requip::cli

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "requip/moe/char_corpus.hpp"
#include "requip/moe/eval_point.hpp"
#include "requip/moe/language_model.hpp"

namespace torch::optim {
class AdamW;
}

namespace requip::moe {

class ProcessGroup;
namespace detail {
class GradientBuckets;
}

// How to train: the seed's schedule by default (AdamW at 3e-4, 5000 steps of 32 windows,
// evaluation every 500 steps on 100 batches per split).
struct TrainConfig {
  std::int64_t steps = 5000;
  std::int64_t batch_size = 32;
  double learning_rate = 3e-4;
  double aux_loss = 0.01;  // per MoE layer: weight of its load-balancing loss (1.0 uniform)
  double z_loss = 0.001;   // per MoE layer: weight of its router z-loss
  std::int64_t eval_every = 500;
  std::int64_t eval_batches = 100;
  std::uint64_t seed = 1337;
  // With a process group of several ranks: each rank holds E / W experts of every MoE layer
  // instead of all of them. Either way the rest of the model is data parallel.
  bool expert_parallel = false;
};

struct TrainCallbacks {
  std::function<void(std::int64_t step, double loss)> on_step;
  std::function<void(const EvalPoint&)> on_eval;
};

class LmTrainer {
 public:
  // Seeds torch's generator with config.seed before building the model, so that a seed and a
  // thread count fix the whole run.
  //
  // With `group`, every rank of it builds a trainer with the same configs and they train one
  // model data parallel: a step draws the same batch_size x W windows on every rank, each rank
  // learns from its own batch_size of them, and gradients are averaged over the ranks. So W
  // ranks at batch_size B follow one process at W x B. Every call below is then collective.
  //
  // With `initial`, training starts from that model rather than a fresh one of model_config;
  // so a checkpoint of one process starts a distributed run, or the other way round.
  LmTrainer(const LmConfig& model_config, const TrainConfig& config, const CharCorpus& corpus,
            std::shared_ptr<ProcessGroup> group = nullptr, LanguageModel initial = nullptr);
  ~LmTrainer();
  LmTrainer(const LmTrainer&) = delete;
  LmTrainer& operator=(const LmTrainer&) = delete;

  // Trains config.steps steps, evaluating every eval_every steps and after the last.
  std::vector<EvalPoint> run(const TrainCallbacks& callbacks = {});
  // One optimiser step on a fresh training batch; returns the total loss, averaged over ranks.
  double step();
  // Mean cross-entropy over eval_batches batches of a split (shared out among the ranks), in
  // eval mode. With `load`, adds
  // each MoE layer's expert shares of every batch to (*load)[layer][expert].
  double evaluate(const torch::Tensor& split, std::vector<std::vector<double>>* load = nullptr);

  // Under expert parallelism, this rank's experts only, until gather_experts().
  LanguageModel& model() { return model_; }
  // Ends expert parallelism: every rank's model() gets every expert back, the model a single
  // process would hold, ready for a checkpoint. A collective; training cannot go on after it.
  void gather_experts();

 private:
  EvalPoint evaluation(std::int64_t step);

  void join_ranks();
  double mean_over_ranks(double value) const;

  TrainConfig config_;
  const CharCorpus& corpus_;
  LanguageModel model_{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::shared_ptr<ProcessGroup> group_;
  std::unique_ptr<detail::GradientBuckets> gradients_;
  at::Generator batches_;  // training windows, the same stream on every rank
};

}  // namespace requip::moe

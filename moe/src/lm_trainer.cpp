#include "requip/moe/lm_trainer.hpp"

#include <algorithm>
#include <unordered_set>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adamw.h>
#include <torch/utils.h>

#include "distributed/gradient_buckets.hpp"
#include "requip/moe/process_group.hpp"

namespace requip::moe {

namespace {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}),
                                              targets.reshape({-1}));
}

}  // namespace

LmTrainer::LmTrainer(const LmConfig& model_config, const TrainConfig& config,
                     const CharCorpus& corpus, std::shared_ptr<ProcessGroup> group,
                     LanguageModel initial)
    : config_(config),
      corpus_(corpus),
      group_(std::move(group)),
      batches_(at::make_generator<at::CPUGeneratorImpl>(config.seed)) {
  torch::manual_seed(config_.seed);
  model_ = initial ? std::move(initial) : LanguageModel(model_config);
  if (group_ && group_->world_size() > 1) join_ranks();
  optimizer_ = std::make_unique<torch::optim::AdamW>(
      model_->parameters(), torch::optim::AdamWOptions(config_.learning_rate));
}

LmTrainer::~LmTrainer() = default;

void LmTrainer::join_ranks() {
  std::vector<torch::Tensor> sharded;
  if (config_.expert_parallel && !model_->config().dense) {
    for (const auto& module : model_->modules()) {
      if (auto moe = std::dynamic_pointer_cast<SparseMoeImpl>(module)) {
        moe->shard_experts(group_);
        for (const auto& parameter : moe->experts->parameters())
          sharded.push_back(parameter);
      }
    }
  }
  std::unordered_set<const void*> is_sharded;
  for (const auto& parameter : sharded)
    is_sharded.insert(parameter.unsafeGetTensorImpl());
  std::vector<torch::Tensor> replicated;
  torch::NoGradGuard no_grad;
  for (auto& parameter : model_->parameters()) {
    if (is_sharded.contains(parameter.unsafeGetTensorImpl())) continue;
    // The same seed builds the same model everywhere; rank 0's copy makes sure of it.
    group_->broadcast(parameter, 0);
    replicated.push_back(parameter);
  }
  gradients_ =
      std::make_unique<detail::GradientBuckets>(group_, std::move(replicated), std::move(sharded));
  // Rank 0 goes on drawing dropout and gate noise as a single process would; the others draw
  // their own.
  if (group_->rank() > 0)
    torch::manual_seed(config_.seed + static_cast<std::uint64_t>(group_->rank()));
}

void LmTrainer::gather_experts() {
  for (const auto& module : model_->modules()) {
    if (auto moe = std::dynamic_pointer_cast<SparseMoeImpl>(module)) moe->gather_experts();
  }
}

double LmTrainer::mean_over_ranks(double value) const {
  if (!gradients_) return value;
  torch::Tensor sum = torch::tensor({value}, torch::kDouble);
  group_->allreduce_sum(sum);
  return sum.item<double>() / group_->world_size();
}

double LmTrainer::step() {
  model_->train();
  const std::int64_t ranks = gradients_ ? group_->world_size() : 1;
  const std::int64_t rank = gradients_ ? group_->rank() : 0;
  const auto [all_inputs, all_targets] =
      corpus_.batch(corpus_.train(), config_.batch_size * ranks, batches_);
  const torch::Tensor inputs = all_inputs.narrow(0, rank * config_.batch_size, config_.batch_size);
  const torch::Tensor targets =
      all_targets.narrow(0, rank * config_.batch_size, config_.batch_size);
  const LmOutput out = model_->forward(inputs);
  // As in Switch and ST-MoE, each MoE layer adds its own weighted auxiliary losses: a mean over
  // layers would thin the balancing pressure on every layer as the model deepens.
  const auto layers = static_cast<double>(model_->config().dense ? 0 : model_->config().n_layer);
  const torch::Tensor loss =
      cross_entropy(out.logits, targets) +
      layers * (config_.aux_loss * out.balance_loss + config_.z_loss * out.z_loss);
  optimizer_->zero_grad();
  loss.backward();
  if (gradients_) gradients_->finish();
  optimizer_->step();
  return mean_over_ranks(loss.item<double>());
}

double LmTrainer::evaluate(const torch::Tensor& split, std::vector<std::vector<double>>* load) {
  torch::NoGradGuard no_grad;
  model_->eval();
  const std::int64_t ranks = gradients_ ? group_->world_size() : 1;
  // Rounded up so that every rank runs as many forwards, which expert parallelism needs.
  const std::int64_t batches = (config_.eval_batches + ranks - 1) / ranks;
  double total = 0;
  for (std::int64_t i = 0; i < batches; ++i) {
    const auto [inputs, targets] = corpus_.batch(split, config_.batch_size);
    const LmOutput out = model_->forward(inputs);
    total += cross_entropy(out.logits, targets).item<double>();
    if (load == nullptr) continue;
    load->resize(out.routing.size());
    for (std::size_t layer = 0; layer < out.routing.size(); ++layer) {
      const auto& shares = out.routing[layer].load;
      (*load)[layer].resize(shares.size());
      for (std::size_t e = 0; e < shares.size(); ++e)
        (*load)[layer][e] += shares[e];
    }
  }
  model_->train();
  if (load != nullptr && gradients_) {
    for (auto& shares : *load) {
      torch::Tensor summed = torch::tensor(shares, torch::kDouble);
      group_->allreduce_sum(summed);
      std::copy_n(summed.data_ptr<double>(), shares.size(), shares.begin());
    }
  }
  return mean_over_ranks(total / static_cast<double>(batches));
}

EvalPoint LmTrainer::evaluation(std::int64_t step) {
  EvalPoint point;
  point.step = step;
  point.train_loss = evaluate(corpus_.train());
  // Balance is judged on validation text in eval mode: the model as it will be used.
  point.val_loss = evaluate(corpus_.val(), &point.expert_load);
  for (auto& shares : point.expert_load) {
    double sum = 0;
    for (double share : shares)
      sum += share;
    std::int64_t dead = 0;
    double top = 0;
    for (double& share : shares) {
      share /= sum;
      top = std::max(top, share);
      if (share == 0) ++dead;
    }
    point.max_over_mean.push_back(top * static_cast<double>(shares.size()));
    point.dead_experts.push_back(dead);
  }
  return point;
}

std::vector<EvalPoint> LmTrainer::run(const TrainCallbacks& callbacks) {
  std::vector<EvalPoint> points;
  auto evaluate_now = [&](std::int64_t step) {
    points.push_back(evaluation(step));
    if (callbacks.on_eval) callbacks.on_eval(points.back());
  };
  for (std::int64_t step = 0; step < config_.steps; ++step) {
    if (config_.eval_every > 0 && step % config_.eval_every == 0 && step > 0) evaluate_now(step);
    const double loss = this->step();
    if (callbacks.on_step) callbacks.on_step(step + 1, loss);
  }
  evaluate_now(config_.steps);
  return points;
}

}  // namespace requip::moe

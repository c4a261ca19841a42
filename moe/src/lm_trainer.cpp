#include "requip/moe/lm_trainer.hpp"

#include <algorithm>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adamw.h>
#include <torch/utils.h>

namespace requip::moe {

namespace {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}),
                                              targets.reshape({-1}));
}

}  // namespace

LmTrainer::LmTrainer(const LmConfig& model_config, const TrainConfig& config,
                     const CharCorpus& corpus)
    : config_(config), corpus_(corpus) {
  torch::manual_seed(config_.seed);
  model_ = LanguageModel(model_config);
  optimizer_ = std::make_unique<torch::optim::AdamW>(
      model_->parameters(), torch::optim::AdamWOptions(config_.learning_rate));
}

LmTrainer::~LmTrainer() = default;

double LmTrainer::step() {
  model_->train();
  const auto [inputs, targets] = corpus_.batch(corpus_.train(), config_.batch_size);
  const LmOutput out = model_->forward(inputs);
  // As in Switch and ST-MoE, each MoE layer adds its own weighted auxiliary losses: a mean over
  // layers would thin the balancing pressure on every layer as the model deepens.
  const auto layers = static_cast<double>(model_->config().dense ? 0 : model_->config().n_layer);
  const torch::Tensor loss =
      cross_entropy(out.logits, targets) +
      layers * (config_.aux_loss * out.balance_loss + config_.z_loss * out.z_loss);
  optimizer_->zero_grad();
  loss.backward();
  optimizer_->step();
  return loss.item<double>();
}

double LmTrainer::evaluate(const torch::Tensor& split, std::vector<std::vector<double>>* load) {
  torch::NoGradGuard no_grad;
  model_->eval();
  double total = 0;
  for (std::int64_t i = 0; i < config_.eval_batches; ++i) {
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
  return total / static_cast<double>(config_.eval_batches);
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

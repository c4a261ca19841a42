#include "requip/moe/lm_trainer.hpp"

#include <torch/nn/functional/loss.h>
#include <torch/optim/adamw.h>
#include <torch/utils.h>

namespace requip::moe {

namespace {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}),
                                              targets.view({-1}));
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
  const torch::Tensor loss = cross_entropy(out.logits, targets) +
                             config_.aux_loss * out.balance_loss + config_.z_loss * out.z_loss;
  optimizer_->zero_grad();
  loss.backward();
  optimizer_->step();
  return loss.item<double>();
}

double LmTrainer::evaluate(const torch::Tensor& split) {
  torch::NoGradGuard no_grad;
  model_->eval();
  double total = 0;
  for (std::int64_t i = 0; i < config_.eval_batches; ++i) {
    const auto [inputs, targets] = corpus_.batch(split, config_.batch_size);
    total += cross_entropy(model_->forward(inputs).logits, targets).item<double>();
  }
  model_->train();
  return total / static_cast<double>(config_.eval_batches);
}

EvalPoint LmTrainer::evaluation(std::int64_t step) {
  EvalPoint point;
  point.step = step;
  point.train_loss = evaluate(corpus_.train());
  point.val_loss = evaluate(corpus_.val());
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

#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "requip/moe/moe_config.hpp"

namespace requip::moe {

struct GateOutput {
  torch::Tensor weights;        // (N, k) softmax over the kept scores (k = 1: full probability)
  torch::Tensor indices;        // (N, k) int64 expert ids, best first
  torch::Tensor probs;          // (N, E) softmax over all clean logits; masked experts get 0
  torch::Tensor logits;         // (N, E) clean scores x W^T + b, before noise and mask
  torch::Tensor expert_counts;  // (E) int64 slots routed to each expert
  torch::Tensor balance_loss;   // () Switch loss: 1 at uniform routing, E at collapse
  torch::Tensor z_loss;         // () mean(logsumexp(logits)^2)
};

// Scores experts for each token and keeps the top k. The same class routes tokens to FFN
// experts in the LM and inputs to skills in the router, where experts come and go: a masked
// expert is never selected and gets zero probability.
class TopKGateImpl : public torch::nn::Module {
 public:
  TopKGateImpl(int64_t d_model, int64_t experts, int64_t top_k, bool noisy);
  explicit TopKGateImpl(const MoeConfig& config);

  GateOutput forward(const torch::Tensor& x);  // x: (N, d)

  // mask: (E) bool, true = may be selected. At least top_k experts must stay selectable.
  void set_expert_mask(const torch::Tensor& mask);
  // DeepSeek-V3 aux-loss-free balancing: a per-expert bias added for selection only, moved by
  // `rate` against each expert's excess load after every training pass. No gradient.
  void enable_bias_balancing(double rate);

  int64_t experts() const { return experts_; }
  int64_t top_k() const { return top_k_; }

  torch::Tensor route_weight;    // (E, d)
  torch::Tensor route_bias;      // (E)
  torch::Tensor noise_weight;    // (E, d), undefined when the gate is not noisy
  torch::Tensor noise_bias;      // (E)
  torch::Tensor expert_mask;     // (E) bool buffer
  torch::Tensor selection_bias;  // (E) buffer, zero unless bias balancing is on

 private:
  // (N, k) the experts each row of scores (N, E) goes to, best first (detail::select_experts).
  torch::Tensor choose(const torch::Tensor& scores) const;

  int64_t experts_;
  int64_t top_k_;
  int64_t selectable_;
  double bias_update_rate_ = 0;
};
TORCH_MODULE(TopKGate);

}  // namespace requip::moe

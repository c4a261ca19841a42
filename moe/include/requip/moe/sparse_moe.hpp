#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "requip/moe/dense_ffn.hpp"
#include "requip/moe/expert_bank.hpp"
#include "requip/moe/moe_config.hpp"
#include "requip/moe/routing_stats.hpp"
#include "requip/moe/top_k_gate.hpp"

namespace requip::moe {

struct MoeOutput {
  torch::Tensor y;             // same shape as the input
  torch::Tensor balance_loss;  // () Switch loss, 1 at uniform routing; 0 under expert choice
  torch::Tensor z_loss;        // () router z-loss
  RoutingStats stats;
};

// The sparse MoE feed-forward layer: a top-k gate, E experts, optional always-on shared
// experts. Drop-in for a transformer's FFN.
class SparseMoeImpl : public torch::nn::Module {
 public:
  explicit SparseMoeImpl(const MoeConfig& config);

  MoeOutput forward(const torch::Tensor& x);  // x: (B, T, d) or (N, d)

  const MoeConfig& config() const { return config_; }
  // Switches the token-choice path; every path computes the same function.
  void set_dispatch(Dispatch dispatch) { config_.dispatch = dispatch; }
  // Slots an expert may serve for n tokens: ceil(capacity_factor * n * k / E), 0 = unlimited.
  int64_t capacity(int64_t tokens) const;

  TopKGate gate{nullptr};
  ExpertBank experts{nullptr};
  DenseFfn shared{nullptr};  // null unless config.shared_experts > 0

 private:
  MoeConfig config_;
};
TORCH_MODULE(SparseMoe);

}  // namespace requip::moe

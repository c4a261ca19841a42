#pragma once

#include <memory>

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "requip/moe/dense_ffn.hpp"
#include "requip/moe/expert_bank.hpp"
#include "requip/moe/moe_config.hpp"
#include "requip/moe/routing_stats.hpp"
#include "requip/moe/top_k_gate.hpp"

namespace requip::moe {

class ProcessGroup;

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

  // Expert parallelism: keeps only this rank's share of the experts, [rank * E / W,
  // (rank + 1) * E / W), and from then on sends token slots to the rank holding their expert.
  // Every rank must then run each forward (and backward) together. Throws
  // std::invalid_argument when E is not a multiple of W or routing is expert choice.
  void shard_experts(std::shared_ptr<ProcessGroup> group);
  // Undoes shard_experts: every rank gets the whole bank back, as one process would hold it
  // (for a checkpoint). A collective.
  void gather_experts();
  const std::shared_ptr<ProcessGroup>& expert_group() const { return expert_group_; }

  TopKGate gate{nullptr};
  ExpertBank experts{nullptr};
  DenseFfn shared{nullptr};  // null unless config.shared_experts > 0

 private:
  MoeConfig config_;
  std::shared_ptr<ProcessGroup> expert_group_;  // null: every expert is here
};
TORCH_MODULE(SparseMoe);

}  // namespace requip::moe

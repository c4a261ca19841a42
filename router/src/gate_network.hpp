#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "requip/moe/top_k_gate.hpp"
#include "sparse_row_adagrad.hpp"

namespace requip::router::detail {

// A batch of texts as an EmbeddingBag takes it: bucket ids, where each text starts, and each
// n-gram's TF-IDF weight.
struct Bags {
  torch::Tensor ids;      // (total) int64
  torch::Tensor offsets;  // (B) int64
  torch::Tensor weights;  // (total) float
};

// The ensemble as one network: an n-gram table of M slices of width d, a ReLU, and M gates,
// one per slice. One table row holds a feature's M slices side by side, so a lookup touches
// one contiguous run of memory, and one optimizer step trains every member. Autograd stops at
// the bag sums; the table's gradient is scattered by hand onto only the rows a batch used.
class GateNetwork {
 public:
  GateNetwork(int buckets, int dim, int members, int experts, std::uint64_t seed,
              double learning_rate);

  // The M gates' outputs for a batch; dropout only when training. Their logits are clean
  // (unmasked); their probs are zero outside the mask.
  std::vector<moe::GateOutput> forward(const Bags& bags, const torch::Tensor& mask, double dropout);
  // One optimizer step on a loss computed from the last forward(), then the gradients are
  // cleared. Without update_table only the gates move.
  void step(const torch::Tensor& loss, double learning_rate, bool update_table = true);
  void grow(int experts);

  int members() const { return static_cast<int>(gates_.size()); }
  int dim() const { return dim_; }
  int experts() const { return static_cast<int>(gates_.front()->experts()); }

  // Raw weights for the fast inference path.
  const float* table_data() const { return table_.data_ptr<float>(); }
  const float* hidden_bias_data() const { return hidden_bias_.data_ptr<float>(); }
  const float* gate_weight_data(int member) const;  // (E, d)
  const float* gate_bias_data(int member) const;    // (E)

  // Learned weights, written and read in this order by the model's save and load.
  std::vector<torch::Tensor> state() const;
  void set_state(const std::vector<torch::Tensor>& tensors, std::size_t& next);

 private:
  void reset_dense_optimizer(double learning_rate);

  int dim_;
  torch::Tensor table_;         // (V, M*d), zero at first: unseen n-grams contribute nothing
  torch::Tensor table_square_;  // (V) row-wise Adagrad accumulators
  torch::Tensor hidden_bias_;   // (M*d)
  Bags batch_bags_;             // what the last forward() summed
  torch::Tensor batch_sums_;    // (B, M*d) its bag sums, the leaf whose gradient step() uses
  SparseRowAdagrad table_optimizer_;
  std::vector<moe::TopKGate> gates_;  // top-1, no noise: exploration comes from feedback
  torch::Generator generator_;        // dropout
  std::unique_ptr<torch::optim::Adagrad> dense_optimizer_;
};

}  // namespace requip::router::detail

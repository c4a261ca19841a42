#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "requip/moe/moe_config.hpp"

namespace requip::moe {

struct ExpertChoiceOutput {
  torch::Tensor y;                // (N, d)
  torch::Tensor unserved_tokens;  // () int64: tokens no expert picked
};

// E feed-forward experts with stacked weights, and the ways to send tokens through them. Each
// token-choice path computes y_n = sum_j weights[n, j] * expert_{indices[n, j]}(x_n) over the
// slots that fit: with `capacity` > 0 an expert serves at most that many slots, first come
// (in token order) first served.
class ExpertBankImpl : public torch::nn::Module {
 public:
  explicit ExpertBankImpl(const MoeConfig& config);

  // Expert e alone on x (n, d): for demos and oracles; the dispatch paths batch this.
  torch::Tensor expert(int64_t e, const torch::Tensor& x);

  // x (N, d), indices and weights (N, k) as the gate returns them. Buckets slots by expert
  // and runs one GEMM per contiguous segment and layer, in one fused kernel.
  torch::Tensor grouped(const torch::Tensor& x, const torch::Tensor& indices,
                        const torch::Tensor& weights, int64_t capacity);
  // Gathers each slot's expert weights and runs one batched matmul: for a handful of slots.
  // Drops nothing.
  torch::Tensor gathered(const torch::Tensor& x, const torch::Tensor& indices,
                         const torch::Tensor& weights);
  // The seed's loop: a mask over all tokens per expert. The oracle the fast paths must match.
  torch::Tensor naive(const torch::Tensor& x, const torch::Tensor& indices,
                      const torch::Tensor& weights, int64_t capacity);
  // Expert choice: each expert takes the `capacity` tokens it scores highest in probs (N, E).
  ExpertChoiceOutput expert_choice(const torch::Tensor& x, const torch::Tensor& probs,
                                   int64_t capacity);

  torch::Tensor w1;  // (E, d, h)
  torch::Tensor b1;  // (E, h)
  torch::Tensor w2;  // (E, h, d)
  torch::Tensor b2;  // (E, d)
};
TORCH_MODULE(ExpertBank);

}  // namespace requip::moe

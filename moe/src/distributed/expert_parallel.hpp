#pragma once

#include <cstdint>
#include <memory>

#include <torch/types.h>

#include "requip/moe/process_group.hpp"

namespace requip::moe::detail {

// The grouped experts with the bank split over the ranks: rank r holds experts
// [r * E_local, (r + 1) * E_local) as w1 (E_local, d, h), b1, w2, b2. Computes on every rank
// what ExpertBank::grouped computes for the ranks' tokens concatenated in rank order, and its
// gradients: token slots travel to their expert's rank (counts first, then rows), the local
// experts run grouped, and the outputs travel back. An expert serves at most `capacity` slots
// (0: unlimited), first come in that concatenated order. A collective: every rank calls it,
// with any number of tokens, none included.
torch::Tensor expert_parallel_experts(const std::shared_ptr<ProcessGroup>& group,
                                      const torch::Tensor& x, const torch::Tensor& indices,
                                      const torch::Tensor& weights, const torch::Tensor& w1,
                                      const torch::Tensor& b1, const torch::Tensor& w2,
                                      const torch::Tensor& b2, std::int64_t capacity);

}  // namespace requip::moe::detail

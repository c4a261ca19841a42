#pragma once

#include <cstdint>

#include <torch/types.h>

namespace requip::moe::detail {

// y_n = sum_j weights[n, j] * expert_{indices[n, j]}(x_n), every expert a ReLU FFN with stacked
// weights w1 (E, d, h), b1 (E, h), w2 (E, h, d), b2 (E, d). Slots are bucketed by expert in
// token order, and with `capacity` > 0 an expert serves only its first `capacity` slots.
//
// One kernel for the whole bank, forward and backward: each expert's segment is gathered and
// run through both layers with bias and ReLU applied in cache, in pieces that the threads take
// as they finish, so a pass costs a parallel region or two instead of a fork and join per
// small GEMM and per elementwise op. Differentiable in x, weights and every parameter.
torch::Tensor grouped_experts(const torch::Tensor& x, const torch::Tensor& indices,
                              const torch::Tensor& weights, const torch::Tensor& w1,
                              const torch::Tensor& b1, const torch::Tensor& w2,
                              const torch::Tensor& b2, std::int64_t capacity);

}  // namespace requip::moe::detail

#pragma once

#include <cmath>

#include <torch/types.h>

namespace requip::moe::detail {

// PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases alike,
// so that our layers start where the seed's do.
inline torch::Tensor uniform_fan_in(at::IntArrayRef sizes, int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  return torch::empty(sizes).uniform_(-bound, bound);
}

// One feed-forward expert: relu(x w1 + b1) w2 + b2, with x (n, d), w1 (d, h), w2 (h, d).
inline torch::Tensor feed_forward(const torch::Tensor& x, const torch::Tensor& w1,
                                  const torch::Tensor& b1, const torch::Tensor& w2,
                                  const torch::Tensor& b2) {
  return at::addmm(b2, at::addmm(b1, x, w1).relu_(), w2);
}

}  // namespace requip::moe::detail

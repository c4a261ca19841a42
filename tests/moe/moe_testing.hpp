#pragma once

#include <torch/types.h>

namespace requip::test {

// Largest absolute elementwise difference; both tensors must have the same shape.
inline double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

}  // namespace requip::test

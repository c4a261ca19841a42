#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

namespace requip::cli {

// Runs the given pass on one input of (tokens, d).
using Contender = std::function<void(const at::Tensor& x)>;

struct Race {
  int64_t tokens = 4096;
  int64_t d_model = 128;
  int repeats = 5;
  bool input_requires_grad = false;  // as inside a network, where backward reaches the input
};

// Tokens per second of each contender, the median over `repeats`. Every run gets a fresh random
// input, made outside the timed region, and the contenders take turns so that the noise of a
// shared machine falls on all of them alike.
std::vector<double> race_tokens_per_s(const std::vector<Contender>& contenders, const Race& race);

// Thread count for torch and OpenMP; the figures depend on it, so it is always set explicitly.
void use_threads(int threads);

}  // namespace requip::cli

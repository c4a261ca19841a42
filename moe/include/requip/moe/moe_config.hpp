#pragma once

#include <cstdint>

namespace requip::moe {

// The sparse MoE layer's shape: d_model -> (top_k of `experts` MLPs of width d_hidden) -> d_model.
struct MoeConfig {
  std::int64_t d_model = 128;
  std::int64_t d_hidden = 512;  // per expert
  std::int64_t experts = 8;
  std::int64_t top_k = 2;
  bool noisy_gate = true;
};

}  // namespace requip::moe

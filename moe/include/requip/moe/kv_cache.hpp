#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace requip::moe {

// Keys and values of every position seen so far, per layer, preallocated to the block size so
// that generating one more character costs one position's work, not the whole context's.
struct KvCache {
  struct Layer {
    torch::Tensor keys;    // (B, n_head, block_size, head_size)
    torch::Tensor values;  // (B, n_head, block_size, head_size)
  };
  std::vector<Layer> layers;
  std::int64_t length = 0;  // positions filled, the same in every layer
};

}  // namespace requip::moe

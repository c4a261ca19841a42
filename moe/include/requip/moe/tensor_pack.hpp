#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <torch/types.h>

namespace requip::moe {

struct NamedTensor {
  std::string name;
  torch::Tensor tensor;
};

// Named tensors as an array pack (requip/core/array_pack.hpp): how gate blobs and
// language-model checkpoints are stored. LibTorch's own archives (a zip of pickles and
// TorchScript) trust the lengths they read, so a damaged or hostile file can make them
// allocate gigabytes or crash; a pack checks every length before anything is allocated.
std::string pack_tensors(const std::vector<NamedTensor>& tensors);

// Throws std::runtime_error saying what is wrong with the bytes.
std::vector<NamedTensor> unpack_tensors(std::string_view bytes);

// Whether the bytes are a LibTorch archive, the format written before tensor packs.
bool is_torch_archive(std::string_view bytes);

}  // namespace requip::moe

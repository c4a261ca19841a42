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

// Named tensors as one string of bytes: how gate blobs and language-model checkpoints are
// stored. LibTorch's own archives (a zip of pickles and TorchScript) trust the lengths they
// read, so a damaged or hostile file can make them allocate gigabytes or crash; here every
// length is checked against the bytes that hold it before anything is allocated.
//
// Layout: "RQTPACK1", u32 count, then per tensor: u16 name length, the name, u8 dtype
// (0 float32, 1 float64, 2 int64, 3 uint8, 4 bool), u8 rank (at most 8), rank i64 sizes, and the
// elements in row-major order. Every number is little-endian.
std::string pack_tensors(const std::vector<NamedTensor>& tensors);

// Throws std::runtime_error saying what is wrong with the bytes.
std::vector<NamedTensor> unpack_tensors(std::string_view bytes);

// Whether the bytes are a LibTorch archive, the format written before tensor packs.
bool is_torch_archive(std::string_view bytes);

}  // namespace requip::moe

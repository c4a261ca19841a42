#pragma once

#include <fmt/format.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string_view>

namespace requip::router::detail {

// A gate blob is read from a file anyone can edit: each tensor is checked before it is used.
inline void require_saved(bool holds, std::string_view part) {
  if (!holds) {
    throw std::runtime_error(fmt::format(
        "gate model: the saved {} does not fit this gate; delete the blob to retrain", part));
  }
}

inline bool float_shaped(const torch::Tensor& tensor, torch::IntArrayRef sizes,
                         torch::ScalarType type = torch::kFloat32) {
  return tensor.defined() && tensor.scalar_type() == type && tensor.sizes() == sizes &&
         torch::isfinite(tensor).all().item<bool>();
}

}  // namespace requip::router::detail

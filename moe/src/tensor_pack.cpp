#include "requip/moe/tensor_pack.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "requip/core/array_pack.hpp"

namespace requip::moe {

namespace {

// Each pack element type and the tensor type it is.
constexpr std::array<std::pair<ElementType, torch::ScalarType>, 7> types{{
    {ElementType::float32, torch::kFloat32},
    {ElementType::float64, torch::kFloat64},
    {ElementType::int64, torch::kInt64},
    {ElementType::uint8, torch::kUInt8},
    {ElementType::boolean, torch::kBool},
    {ElementType::float16, torch::kFloat16},
    {ElementType::bfloat16, torch::kBFloat16},
}};

ElementType element_type(torch::ScalarType type) {
  for (const auto& [element, scalar] : types) {
    if (scalar == type) return element;
  }
  throw std::invalid_argument(
      fmt::format("a tensor pack holds float32, float64, int64, uint8, bool, float16 or "
                  "bfloat16, not {}",
                  c10::toString(type)));
}

torch::ScalarType scalar_type(ElementType type) {
  for (const auto& [element, scalar] : types) {
    if (element == type) return scalar;
  }
  throw std::invalid_argument(fmt::format("no tensor type for {}", element_name(type)));
}

}  // namespace

std::string pack_tensors(const std::vector<NamedTensor>& tensors) {
  std::vector<PackedArray> arrays;
  arrays.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    const torch::Tensor dense = tensor.detach().contiguous();
    arrays.push_back({name, element_type(dense.scalar_type()), dense.sizes().vec(),
                      std::string(static_cast<const char*>(dense.data_ptr()), dense.nbytes())});
  }
  return pack_arrays(arrays);
}

std::vector<NamedTensor> unpack_tensors(std::string_view bytes) {
  std::vector<NamedTensor> tensors;
  for (auto& array : unpack_arrays(bytes)) {
    auto tensor = torch::empty(array.sizes, torch::TensorOptions().dtype(scalar_type(array.type)));
    if (!array.bytes.empty())
      std::memcpy(tensor.data_ptr(), array.bytes.data(), array.bytes.size());
    tensors.push_back({std::move(array.name), std::move(tensor)});
  }
  return tensors;
}

bool is_torch_archive(std::string_view bytes) {
  return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

}  // namespace requip::moe

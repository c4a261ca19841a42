#include "saved_arrays.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace requip::router::detail {

namespace {

template <typename T>
std::vector<T> finite(std::vector<T> values, std::string_view name) {
  if (!std::all_of(values.begin(), values.end(), [](T v) { return std::isfinite(v); }))
    misfit(name);
  return values;
}

}  // namespace

void misfit(std::string_view part) {
  throw std::runtime_error(fmt::format(
      "gate model: the saved {} does not fit this gate; delete the blob to retrain", part));
}

SavedArrays::SavedArrays(const std::vector<PackedArray>& arrays) {
  for (const auto& array : arrays)
    arrays_.emplace(array.name, &array);
}

std::int64_t SavedArrays::size(std::string_view name, std::size_t rank, std::size_t index) const {
  const auto found = arrays_.find(name);
  if (found == arrays_.end() || found->second->sizes.size() != rank) misfit(name);
  return found->second->sizes[index];
}

const PackedArray& SavedArrays::shaped(std::string_view name, ElementType type,
                                       const std::vector<std::int64_t>& sizes) const {
  const auto found = arrays_.find(name);
  if (found == arrays_.end() || found->second->type != type || found->second->sizes != sizes)
    misfit(name);
  return *found->second;
}

std::vector<std::int64_t> SavedArrays::int64s(std::string_view name,
                                              const std::vector<std::int64_t>& sizes) const {
  return shaped(name, ElementType::int64, sizes).int64s();
}

std::vector<double> SavedArrays::doubles(std::string_view name,
                                         const std::vector<std::int64_t>& sizes) const {
  return finite(shaped(name, ElementType::float64, sizes).doubles(), name);
}

std::vector<float> SavedArrays::floats(std::string_view name,
                                       const std::vector<std::int64_t>& sizes) const {
  return finite(shaped(name, ElementType::float32, sizes).floats(), name);
}

}  // namespace requip::router::detail

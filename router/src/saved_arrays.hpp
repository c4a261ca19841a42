#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "requip/core/array_pack.hpp"

namespace requip::router::detail {

// A gate blob's arrays by name. A blob is read from a file anyone can edit: each array is
// checked against what its reader expects before it is used, and a misfit throws
// std::runtime_error naming the array and the fix. Holds pointers into `arrays`.
class SavedArrays {
 public:
  explicit SavedArrays(const std::vector<PackedArray>& arrays);

  bool has(std::string_view name) const { return arrays_.count(name) != 0; }
  // Size `index` of the array, which must have `rank` dimensions.
  std::int64_t size(std::string_view name, std::size_t rank, std::size_t index) const;
  // The elements of an array of this type and shape; floating-point ones must be finite.
  std::vector<std::int64_t> int64s(std::string_view name,
                                   const std::vector<std::int64_t>& sizes) const;
  std::vector<double> doubles(std::string_view name, const std::vector<std::int64_t>& sizes) const;
  std::vector<float> floats(std::string_view name, const std::vector<std::int64_t>& sizes) const;

 private:
  const PackedArray& shaped(std::string_view name, ElementType type,
                            const std::vector<std::int64_t>& sizes) const;

  std::map<std::string_view, const PackedArray*> arrays_;
};

// Throws the error of a saved `part` that does not fit the gate.
[[noreturn]] void misfit(std::string_view part);

}  // namespace requip::router::detail

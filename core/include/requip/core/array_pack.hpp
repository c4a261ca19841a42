#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace requip {

// The element types an array pack holds, by their code in the file.
enum class ElementType : std::uint8_t {
  float32 = 0,
  float64 = 1,
  int64 = 2,
  uint8 = 3,
  boolean = 4,
  float16 = 5,
  bfloat16 = 6,
};

std::size_t element_size(ElementType type);
std::string_view element_name(ElementType type);

// One named array of a pack: its elements in row-major order, as they lie in memory.
struct PackedArray {
  std::string name;
  ElementType type = ElementType::float32;
  std::vector<std::int64_t> sizes;
  std::string bytes;

  std::int64_t count() const;

  static PackedArray of(std::string name, const std::vector<float>& values,
                        std::vector<std::int64_t> sizes);
  static PackedArray of(std::string name, const std::vector<double>& values,
                        std::vector<std::int64_t> sizes);
  static PackedArray of(std::string name, const std::vector<std::int64_t>& values,
                        std::vector<std::int64_t> sizes);
  // The elements, when the array holds that type (std::runtime_error naming it otherwise).
  std::vector<float> floats() const;
  std::vector<double> doubles() const;
  std::vector<std::int64_t> int64s() const;
};

// Named arrays as one string of bytes: how gate blobs and language-model checkpoints are
// stored. Every length is checked against the bytes that hold it before anything is
// allocated, so a damaged or hostile file is refused, never trusted.
//
// Layout: "RQTPACK1", u32 count, then per array: u16 name length, the name, u8 element type
// (ElementType), u8 rank (at most 8), rank i64 sizes, and the elements in row-major order.
// Every number is little-endian.
std::string pack_arrays(const std::vector<PackedArray>& arrays);

// Throws std::runtime_error saying what is wrong with the bytes.
std::vector<PackedArray> unpack_arrays(std::string_view bytes);

}  // namespace requip

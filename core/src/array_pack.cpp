#include "requip/core/array_pack.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace requip {

namespace {

static_assert(std::endian::native == std::endian::little,
              "packs are written as they lie in memory");

constexpr std::string_view magic = "RQTPACK1";
constexpr std::size_t max_rank = 8;
constexpr std::uint8_t type_count = 7;

template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

// Reads the pack front to back; every read is checked against what is left.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  template <typename T>
  T number(std::string_view what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what).data(), sizeof(T));
    return value;
  }
  std::string_view take(std::size_t size, std::string_view what) {
    if (size > rest_.size()) throw std::runtime_error(fmt::format("pack: truncated in {}", what));
    const std::string_view taken = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return taken;
  }
  std::size_t left() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

PackedArray read_array(Reader& in) {
  PackedArray read;
  read.name = std::string(in.take(in.number<std::uint16_t>("a name's length"), "a name"));
  const auto code = in.number<std::uint8_t>("an element type");
  if (code >= type_count) {
    throw std::runtime_error(
        fmt::format("pack: '{}' has unknown element type {}", read.name, code));
  }
  read.type = static_cast<ElementType>(code);
  const auto rank = in.number<std::uint8_t>("a rank");
  if (rank > max_rank)
    throw std::runtime_error(fmt::format("pack: '{}' has rank {}", read.name, rank));
  const std::size_t element = element_size(read.type);
  std::size_t count = 1;
  for (std::uint8_t i = 0; i < rank; ++i) {
    const auto size = in.number<std::int64_t>("a size");
    // Checked against the bytes left, so that no size can ask for more than the pack holds.
    if (size < 0 || (size > 0 && count > in.left() / element / static_cast<std::size_t>(size))) {
      throw std::runtime_error(
          fmt::format("pack: '{}' claims more elements than the pack holds", read.name));
    }
    count *= static_cast<std::size_t>(size);
    read.sizes.push_back(size);
  }
  read.bytes = std::string(in.take(count * element, fmt::format("the data of '{}'", read.name)));
  return read;
}

template <typename T>
PackedArray array_of(std::string name, ElementType type, const std::vector<T>& values,
                     std::vector<std::int64_t> sizes) {
  PackedArray array{std::move(name), type, std::move(sizes), {}};
  if (static_cast<std::size_t>(array.count()) != values.size()) {
    throw std::invalid_argument(fmt::format("pack: '{}' has {} values for {} elements", array.name,
                                            values.size(), array.count()));
  }
  array.bytes.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  return array;
}

template <typename T>
std::vector<T> values_of(const PackedArray& array, ElementType type) {
  if (array.type != type) {
    throw std::runtime_error(fmt::format("pack: '{}' holds {}, not {}", array.name,
                                         element_name(array.type), element_name(type)));
  }
  std::vector<T> values(array.bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), array.bytes.data(), values.size() * sizeof(T));
  return values;
}

}  // namespace

std::size_t element_size(ElementType type) {
  constexpr std::array<std::size_t, type_count> sizes{4, 8, 8, 1, 1, 2, 2};
  return sizes.at(static_cast<std::size_t>(type));
}

std::string_view element_name(ElementType type) {
  constexpr std::array<std::string_view, type_count> names{"float32", "float64", "int64",   "uint8",
                                                           "bool",    "float16", "bfloat16"};
  return names.at(static_cast<std::size_t>(type));
}

std::int64_t PackedArray::count() const {
  std::int64_t count = 1;
  for (const auto size : sizes)
    count *= size;
  return count;
}

PackedArray PackedArray::of(std::string name, const std::vector<float>& values,
                            std::vector<std::int64_t> sizes) {
  return array_of(std::move(name), ElementType::float32, values, std::move(sizes));
}

PackedArray PackedArray::of(std::string name, const std::vector<double>& values,
                            std::vector<std::int64_t> sizes) {
  return array_of(std::move(name), ElementType::float64, values, std::move(sizes));
}

PackedArray PackedArray::of(std::string name, const std::vector<std::int64_t>& values,
                            std::vector<std::int64_t> sizes) {
  return array_of(std::move(name), ElementType::int64, values, std::move(sizes));
}

std::vector<float> PackedArray::floats() const {
  return values_of<float>(*this, ElementType::float32);
}

std::vector<double> PackedArray::doubles() const {
  return values_of<double>(*this, ElementType::float64);
}

std::vector<std::int64_t> PackedArray::int64s() const {
  return values_of<std::int64_t>(*this, ElementType::int64);
}

std::string pack_arrays(const std::vector<PackedArray>& arrays) {
  std::string out(magic);
  append(out, static_cast<std::uint32_t>(arrays.size()));
  for (const auto& array : arrays) {
    if (array.name.size() > std::numeric_limits<std::uint16_t>::max()) {
      throw std::invalid_argument("a pack's names are at most 65535 bytes");
    }
    if (array.sizes.size() > max_rank) {
      throw std::invalid_argument(fmt::format("array '{}' has rank {}, a pack holds up to {}",
                                              array.name, array.sizes.size(), max_rank));
    }
    if (array.bytes.size() != static_cast<std::size_t>(array.count()) * element_size(array.type)) {
      throw std::invalid_argument(fmt::format("array '{}' holds {} bytes, not its sizes' worth",
                                              array.name, array.bytes.size()));
    }
    append(out, static_cast<std::uint16_t>(array.name.size()));
    out += array.name;
    append(out, static_cast<std::uint8_t>(array.type));
    append(out, static_cast<std::uint8_t>(array.sizes.size()));
    for (const std::int64_t size : array.sizes)
      append(out, size);
    out += array.bytes;
  }
  return out;
}

std::vector<PackedArray> unpack_arrays(std::string_view bytes) {
  Reader in(bytes);
  if (in.left() < magic.size() || in.take(magic.size(), "the header") != magic) {
    throw std::runtime_error("pack: the bytes do not start with RQTPACK1");
  }
  const auto count = in.number<std::uint32_t>("the array count");
  std::vector<PackedArray> arrays;
  for (std::uint32_t i = 0; i < count; ++i)
    arrays.push_back(read_array(in));
  if (in.left() != 0) {
    throw std::runtime_error(fmt::format("pack: {} bytes after the last array", in.left()));
  }
  return arrays;
}

}  // namespace requip

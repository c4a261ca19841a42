#include "requip/moe/tensor_pack.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace requip::moe {

namespace {

static_assert(std::endian::native == std::endian::little,
              "packs are written as they lie in memory");

constexpr std::string_view magic = "RQTPACK1";
constexpr std::size_t max_rank = 8;

// The element types a pack holds, by their code in the file.
constexpr std::array<torch::ScalarType, 5> dtypes{torch::kFloat32, torch::kFloat64, torch::kInt64,
                                                  torch::kUInt8, torch::kBool};

std::uint8_t dtype_code(torch::ScalarType type) {
  for (std::size_t code = 0; code < dtypes.size(); ++code) {
    if (dtypes[code] == type) return static_cast<std::uint8_t>(code);
  }
  throw std::invalid_argument(fmt::format(
      "a tensor pack holds float32, float64, int64, uint8 or bool, not {}", c10::toString(type)));
}

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
    if (size > rest_.size()) {
      throw std::runtime_error(fmt::format("tensor pack: truncated in {}", what));
    }
    const std::string_view taken = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return taken;
  }
  std::size_t left() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

NamedTensor read_tensor(Reader& in) {
  NamedTensor read;
  read.name = std::string(in.take(in.number<std::uint16_t>("a name's length"), "a name"));
  const auto code = in.number<std::uint8_t>("a dtype");
  if (code >= dtypes.size()) {
    throw std::runtime_error(
        fmt::format("tensor pack: '{}' has unknown dtype {}", read.name, code));
  }
  const auto rank = in.number<std::uint8_t>("a rank");
  if (rank > max_rank) {
    throw std::runtime_error(fmt::format("tensor pack: '{}' has rank {}", read.name, rank));
  }
  const torch::ScalarType type = dtypes[code];
  const std::size_t element = c10::elementSize(type);
  std::vector<std::int64_t> sizes;
  std::size_t count = 1;
  for (std::uint8_t i = 0; i < rank; ++i) {
    const auto size = in.number<std::int64_t>("a size");
    // Checked against the bytes left, so that no size can ask for more than the pack holds.
    if (size < 0 || (size > 0 && count > in.left() / element / static_cast<std::size_t>(size))) {
      throw std::runtime_error(
          fmt::format("tensor pack: '{}' claims more elements than the pack holds", read.name));
    }
    count *= static_cast<std::size_t>(size);
    sizes.push_back(size);
  }
  const std::string_view data =
      in.take(count * element, fmt::format("the data of '{}'", read.name));
  read.tensor = torch::empty(sizes, torch::TensorOptions().dtype(type));
  if (!data.empty()) std::memcpy(read.tensor.data_ptr(), data.data(), data.size());
  return read;
}

}  // namespace

std::string pack_tensors(const std::vector<NamedTensor>& tensors) {
  std::string out(magic);
  append(out, static_cast<std::uint32_t>(tensors.size()));
  for (const auto& [name, tensor] : tensors) {
    if (name.size() > std::numeric_limits<std::uint16_t>::max()) {
      throw std::invalid_argument("a tensor pack's names are at most 65535 bytes");
    }
    const std::uint8_t code = dtype_code(tensor.scalar_type());
    if (tensor.dim() > static_cast<std::int64_t>(max_rank)) {
      throw std::invalid_argument(fmt::format("tensor '{}' has rank {}, a pack holds up to {}",
                                              name, tensor.dim(), max_rank));
    }
    append(out, static_cast<std::uint16_t>(name.size()));
    out += name;
    append(out, code);
    append(out, static_cast<std::uint8_t>(tensor.dim()));
    for (const std::int64_t size : tensor.sizes())
      append(out, size);
    const torch::Tensor dense = tensor.detach().contiguous();
    out.append(static_cast<const char*>(dense.data_ptr()), dense.nbytes());
  }
  return out;
}

std::vector<NamedTensor> unpack_tensors(std::string_view bytes) {
  Reader in(bytes);
  if (in.left() < magic.size() || in.take(magic.size(), "the header") != magic) {
    throw std::runtime_error("tensor pack: the bytes do not start with RQTPACK1");
  }
  const auto count = in.number<std::uint32_t>("the tensor count");
  std::vector<NamedTensor> tensors;
  for (std::uint32_t i = 0; i < count; ++i)
    tensors.push_back(read_tensor(in));
  if (in.left() != 0) {
    throw std::runtime_error(fmt::format("tensor pack: {} bytes after the last tensor", in.left()));
  }
  return tensors;
}

bool is_torch_archive(std::string_view bytes) {
  return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

}  // namespace requip::moe

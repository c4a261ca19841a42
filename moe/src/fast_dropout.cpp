#include "requip/moe/fast_dropout.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace requip::moe {

namespace {

constexpr std::uint64_t lanes = 4;  // 16-bit uniforms per 64-bit hash

std::uint64_t splitmix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

// The factor of element i alone: for the ragged ends of a range.
float DropoutDraw::factor(std::uint64_t i) const {
  const std::uint64_t bits = splitmix64(seed + (first_hash + i / lanes) * 0x9E3779B97F4A7C15ULL);
  return ((bits >> (16 * (i % lanes))) & 0xFFFF) < threshold ? 0.0f : keep_scale;
}

// One hash per whole group of lanes, hashed a chunk of groups at a time and then read as the
// 16-bit uniforms it holds, so that both loops vectorise: masks are drawn for every attention
// probability, forward and backward. A free function called only from this file: clang 14
// emits no symbol for a target_clones function that another file calls.
namespace {
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void fill_factors(
    const DropoutDraw& draw, float* out, std::uint64_t first, std::int64_t count) {
  static_assert(std::endian::native == std::endian::little, "lane l of a hash is its l-th uint16");
  const std::uint64_t end = first + static_cast<std::uint64_t>(count);
  std::uint64_t i = first;
  for (; i < end && i % lanes != 0; ++i)
    *out++ = draw.factor(i);
  constexpr std::uint64_t chunk = 256;
  const std::uint32_t drop_below = draw.threshold;  // locals: out may not alias them
  const float scale = draw.keep_scale;
  std::uint64_t bits[chunk];
  std::uint16_t uniforms[chunk * lanes];
  const std::uint64_t groups = (end - i) / lanes, group = draw.first_hash + i / lanes;
  for (std::uint64_t g0 = 0; g0 < groups; g0 += chunk) {
    const std::uint64_t n = std::min(chunk, groups - g0);
    for (std::uint64_t g = 0; g < n; ++g)
      bits[g] = splitmix64(draw.seed + (group + g0 + g) * 0x9E3779B97F4A7C15ULL);
    std::memcpy(uniforms, bits, n * sizeof(bits[0]));
    for (std::uint64_t u = 0; u < n * lanes; ++u)
      out[u] = uniforms[u] < drop_below ? 0.0f : scale;
    out += n * lanes;
  }
  for (i += groups * lanes; i < end; ++i)
    *out++ = draw.factor(i);
}
}  // namespace

void DropoutDraw::fill(float* out, std::uint64_t first, std::int64_t count) const {
  fill_factors(*this, out, first, count);
}

FastDropout::FastDropout(double p, std::uint64_t seed) : p_(p), seed_(seed) {}

DropoutDraw FastDropout::draw(std::int64_t count) {
  const auto threshold = static_cast<std::uint32_t>(std::lround(p_ * 65536.0));
  const DropoutDraw drawn{seed_, counter_, threshold,
                          static_cast<float>(65536.0 / (65536.0 - threshold))};
  counter_ += (static_cast<std::uint64_t>(count) + lanes - 1) / lanes;
  return drawn;
}

torch::Tensor FastDropout::operator()(const torch::Tensor& x, bool training) {
  if (!training || std::lround(p_ * 65536.0) == 0) return x;
  const DropoutDraw drawn = draw(x.numel());
  torch::Tensor mask = torch::empty(x.sizes(), x.options().dtype(torch::kFloat32));
  float* out = mask.data_ptr<float>();
  at::parallel_for(0, mask.numel(), 32768, [&](std::int64_t begin, std::int64_t end) {
    drawn.fill(out + begin, static_cast<std::uint64_t>(begin), end - begin);
  });
  return x * mask.to(x.scalar_type());
}

std::uint64_t draw_dropout_seed() {
  return static_cast<std::uint64_t>(
      torch::randint(std::numeric_limits<std::int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
}

}  // namespace requip::moe

#include "requip/moe/fast_dropout.hpp"

#include <ATen/Parallel.h>

#include <cmath>

namespace requip::moe {

namespace {

std::uint64_t splitmix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::int64_t lanes = 4;  // 16-bit uniforms per 64-bit hash

}  // namespace

FastDropout::FastDropout(double p, std::uint64_t seed) : p_(p), seed_(seed) {}

torch::Tensor FastDropout::operator()(const torch::Tensor& x, bool training) {
  const auto threshold = static_cast<std::uint32_t>(std::lround(p_ * 65536.0));
  if (!training || threshold == 0) return x;
  const float keep_scale = static_cast<float>(65536.0 / (65536.0 - threshold));

  torch::Tensor mask = torch::empty(x.sizes(), x.options().dtype(torch::kFloat32));
  float* out = mask.data_ptr<float>();
  const std::int64_t count = mask.numel();
  const std::int64_t hashes = (count + lanes - 1) / lanes;
  const std::uint64_t first = counter_;
  counter_ += static_cast<std::uint64_t>(hashes);
  const std::uint64_t seed = seed_;
  at::parallel_for(0, hashes, 8192, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t h = begin; h < end; ++h) {
      const std::uint64_t bits =
          splitmix64(seed + (first + static_cast<std::uint64_t>(h)) * 0x9E3779B97F4A7C15ULL);
      const std::int64_t base = h * lanes;
      const std::int64_t stop = std::min(base + lanes, count);
      for (std::int64_t i = base; i < stop; ++i) {
        const auto uniform = static_cast<std::uint32_t>((bits >> (16 * (i - base))) & 0xFFFF);
        out[i] = uniform < threshold ? 0.0f : keep_scale;
      }
    }
  });
  return x * mask.to(x.scalar_type());
}

std::uint64_t draw_dropout_seed() {
  return static_cast<std::uint64_t>(
      torch::randint(std::numeric_limits<std::int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
}

}  // namespace requip::moe

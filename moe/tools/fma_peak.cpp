#include "fma_peak.hpp"

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "stopwatch.hpp"

namespace requip::cli {

namespace {

// Twelve chains: enough to cover an FMA's latency on two ports, few enough to stay in the
// sixteen vector registers of AVX2 with the two operands.
constexpr int chains = 12;
constexpr std::int64_t rounds = 20'000'000;

typedef float f32x4 __attribute__((vector_size(16)));
typedef float f32x8 __attribute__((vector_size(32)));
typedef float f32x16 __attribute__((vector_size(64)));

// Not instrumented: AddressSanitizer would keep the chains on the stack, and the probe must
// measure the CPU, not the instrumentation, since it bounds BLAS that is never instrumented.
#define REQUIP_UNINSTRUMENTED __attribute__((no_sanitize("address", "undefined")))

// Runs rounds x chains multiply-adds on vectors of floats; returns the flops done. The
// result is stored where the compiler must assume it is read, so no round can be dropped, and
// without -ffast-math it cannot fold repeated multiply-adds.
template <typename vec>
[[gnu::always_inline]] REQUIP_UNINSTRUMENTED inline double fma_rounds() {
  constexpr int width = sizeof(vec) / sizeof(float);
  vec acc[chains];
  for (int c = 0; c < chains; ++c)
    acc[c] = vec{} + 1.0f;
  const vec scale = vec{} + 0.999999f, shift = vec{} + 1e-7f;
  for (std::int64_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 12
    for (int c = 0; c < chains; ++c)
      acc[c] = acc[c] * scale + shift;
  }
  vec sum{};
  for (int c = 0; c < chains; ++c)
    sum += acc[c];
  volatile float sink = sum[0];
  (void)sink;
  return 2.0 * width * chains * static_cast<double>(rounds);
}

__attribute__((target("arch=x86-64-v4"))) REQUIP_UNINSTRUMENTED double fma_rounds_avx512() {
  return fma_rounds<f32x16>();
}
__attribute__((target("arch=x86-64-v3"))) REQUIP_UNINSTRUMENTED double fma_rounds_avx2() {
  return fma_rounds<f32x8>();
}
REQUIP_UNINSTRUMENTED double fma_rounds_sse() {
  return fma_rounds<f32x4>();
}

double fma_rounds_widest() {
  if (__builtin_cpu_supports("avx512f")) return fma_rounds_avx512();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return fma_rounds_avx2();
  return fma_rounds_sse();
}

}  // namespace

double fp32_fma_peak_gflop_s(int threads) {
  double best = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the best of three: noise only slows
    std::vector<double> flops(static_cast<std::size_t>(threads));
    const double seconds = seconds_in([&] {
      std::vector<std::jthread> team;
      for (auto& done : flops)
        team.emplace_back([&done] { done = fma_rounds_widest(); });
    });
    double total = 0;
    for (const double f : flops)
      total += f;
    best = std::max(best, total / seconds / 1e9);
  }
  return best;
}

}  // namespace requip::cli

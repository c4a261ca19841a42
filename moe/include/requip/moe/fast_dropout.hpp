#pragma once

#include <cstdint>

#include <torch/types.h>

namespace requip::moe {

// The keep-or-drop decisions for `count` consecutive elements, fixed when drawn: a kernel that
// applies dropout itself recomputes them in its backward pass instead of storing a mask.
struct DropoutDraw {
  std::uint64_t seed;
  std::uint64_t first_hash;
  std::uint32_t threshold;  // 16-bit uniforms below it drop
  float keep_scale;         // 1 / (1 - p)

  // The factors of elements [first, first + count), each 0 or keep_scale, into out.
  void fill(float* out, std::uint64_t first, std::int64_t count) const;
  float factor(std::uint64_t i) const;
};

// Dropout whose mask comes from a counter-based hash (splitmix64) instead of torch's
// bernoulli_, which alone took about 15% of a training step. The drop probability is rounded
// to a multiple of 1/65536. Masks depend only on the seed and the call count, never on the
// thread count, so a fixed seed replays the same run.
class FastDropout {
 public:
  FastDropout(double p, std::uint64_t seed);

  // x scaled by 1/(1-p) with dropped elements zeroed while training; x itself otherwise.
  torch::Tensor operator()(const torch::Tensor& x, bool training);

  // The decisions for the next `count` elements; nothing drops when p is 0.
  DropoutDraw draw(std::int64_t count);

  double p() const { return p_; }

 private:
  double p_;
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;  // hashes used so far: the next mask starts here
};

// A seed for a FastDropout drawn from torch's default generator, so torch::manual_seed fixes it.
std::uint64_t draw_dropout_seed();

}  // namespace requip::moe

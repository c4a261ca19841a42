#include <cmath>
#include <limits>

#include "fused_attention.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip::moe;

namespace {

constexpr std::int64_t batch = 3, steps = 37, width = 24, heads = 3;  // 37: a partial row block

// The textbook computation: scores, causal mask, softmax, dropout factors, weighted values.
torch::Tensor reference_attention(const torch::Tensor& qkv, const torch::Tensor& factors) {
  const auto split = qkv.view({batch, steps, 3, heads, width / heads}).permute({2, 0, 3, 1, 4});
  const auto scores = torch::matmul(split[0], split[1].transpose(-2, -1)) /
                      std::sqrt(static_cast<double>(width / heads));
  const auto future = torch::ones({steps, steps}, torch::kBool).triu(1);
  auto probs = scores.masked_fill(future, -std::numeric_limits<float>::infinity()).softmax(-1);
  if (factors.defined()) probs = probs * factors;
  return torch::matmul(probs, split[2]).transpose(1, 2).reshape({batch, steps, width});
}

// The factors a FastDropout with this seed applies to its next B * nh * T * T elements.
torch::Tensor dropout_factors(double p, std::uint64_t seed) {
  FastDropout dropout(p, seed);
  const DropoutDraw draw = dropout.draw(batch * heads * steps * steps);
  auto factors = torch::empty({batch, heads, steps, steps});
  draw.fill(factors.data_ptr<float>(), 0, factors.numel());
  return factors;
}

struct Result {
  torch::Tensor y, grad;
};

template <typename Attention>
Result run(const torch::Tensor& qkv_values, const torch::Tensor& grad_y, Attention attention) {
  auto qkv = qkv_values.clone().requires_grad_(true);
  auto y = attention(qkv);
  y.backward(grad_y);
  return {y.detach(), qkv.grad()};
}

}  // namespace

TEST_CASE("fused attention equals the textbook computation in output and gradient",
          "[moe][attention]") {
  torch::manual_seed(11);
  const auto qkv = torch::randn({batch, steps, 3 * width});
  const auto grad_y = torch::randn({batch, steps, width});
  const double p = GENERATE(0.0, 0.3);
  FastDropout dropout(p, 99);
  const auto fused = run(qkv, grad_y, [&](const torch::Tensor& x) {
    return requip::moe::detail::fused_causal_attention(x, heads, dropout, /*training=*/true);
  });
  const auto factors = p > 0 ? dropout_factors(p, 99) : torch::Tensor();
  const auto expected =
      run(qkv, grad_y, [&](const torch::Tensor& x) { return reference_attention(x, factors); });
  CHECK(torch::allclose(fused.y, expected.y, 1e-5, 1e-5));
  CHECK(torch::allclose(fused.grad, expected.grad, 1e-5, 1e-5));
}

TEST_CASE("fused attention drops nothing in eval mode, and fresh masks while training",
          "[moe][attention]") {
  torch::manual_seed(12);
  const auto qkv = torch::randn({batch, steps, 3 * width});
  FastDropout dropout(0.5, 5);
  torch::NoGradGuard no_grad;
  const auto eval = requip::moe::detail::fused_causal_attention(qkv, heads, dropout, false);
  CHECK(torch::allclose(eval, reference_attention(qkv, {}), 1e-5, 1e-5));
  const auto first = requip::moe::detail::fused_causal_attention(qkv, heads, dropout, true);
  const auto second = requip::moe::detail::fused_causal_attention(qkv, heads, dropout, true);
  CHECK_FALSE(torch::allclose(first, eval));
  CHECK_FALSE(torch::allclose(first, second));
}

TEST_CASE("cached attention of the newest positions equals the rows of full attention",
          "[moe][attention]") {
  torch::manual_seed(13);
  const auto qkv = torch::randn({batch, steps, 3 * width});
  const std::int64_t past = 29, block = 40, hs = width / heads;
  KvCache::Layer cache{torch::zeros({batch, heads, block, hs}),
                       torch::zeros({batch, heads, block, hs})};
  const auto split = qkv.view({batch, steps, 3, heads, hs});
  cache.keys.slice(2, 0, steps).copy_(split.select(2, 1).transpose(1, 2));
  cache.values.slice(2, 0, steps).copy_(split.select(2, 2).transpose(1, 2));
  const auto newest =
      requip::moe::detail::cached_causal_attention(qkv.slice(1, past, steps), cache, heads, past);
  CHECK(torch::allclose(newest, reference_attention(qkv, {}).slice(1, past, steps), 1e-5, 1e-5));
}

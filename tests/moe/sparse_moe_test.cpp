#include <catch2/catch.hpp>

#include <ATen/Parallel.h>
#include <cmath>

#include "moe_testing.hpp"
#include "requip/moe/sparse_moe.hpp"

using namespace requip::moe;
using requip::test::max_difference;

namespace {

MoeConfig tiny_config(int64_t experts, int64_t top_k) {
  MoeConfig config;
  config.d_model = 4;
  config.d_hidden = 8;
  config.experts = experts;
  config.top_k = top_k;
  config.noisy_gate = false;
  return config;
}

}  // namespace

TEST_CASE("moe: hand-computed 4-expert top-2 layer output", "[moe]") {
  MoeConfig config = tiny_config(4, 2);
  config.d_model = 2;
  config.d_hidden = 2;
  SparseMoe moe(config);
  {
    // Gate: expert 0 scores x_0, 1 scores x_1, 2 scores -x_0, 3 scores -x_1.
    // Expert e with sign s (+ for 0, 1; - for 2, 3) computes s * relu(s (e + 1) x).
    torch::NoGradGuard no_grad;
    moe->gate->route_weight.copy_(
        torch::tensor({1.f, 0.f, 0.f, 1.f, -1.f, 0.f, 0.f, -1.f}).view({4, 2}));
    moe->gate->route_bias.zero_();
    for (int64_t e = 0; e < 4; ++e) {
      const float sign = e < 2 ? 1.f : -1.f;
      moe->experts->w1[e].copy_(torch::eye(2) * sign * static_cast<float>(e + 1));
      moe->experts->w2[e].copy_(torch::eye(2) * sign);
    }
    moe->experts->b1.zero_();
    moe->experts->b2.zero_();
  }
  const auto x = torch::tensor({2.f, 1.f, -1.f, -3.f}).view({2, 2});
  // Token (2, 1): logits (2, 1, -2, -1) pick experts 0 and 1 with weights sigma(1), 1 - sigma(1);
  // they compute 1x and 2x. Token (-1, -3): logits (-1, -3, 1, 3) pick 3 and 2 with sigma(2),
  // 1 - sigma(2); they compute 4x and 3x.
  const auto sigma = [](double z) { return 1 / (1 + std::exp(-z)); };
  const double first = sigma(1) * 1 + (1 - sigma(1)) * 2;
  const double second = sigma(2) * 4 + (1 - sigma(2)) * 3;
  const auto expected =
      torch::tensor({2 * first, 1 * first, -1 * second, -3 * second}).view({2, 2});
  for (auto dispatch : {Dispatch::grouped, Dispatch::gathered, Dispatch::naive}) {
    moe->set_dispatch(dispatch);
    INFO("dispatch " << static_cast<int>(dispatch));
    CHECK(max_difference(moe->forward(x).y, expected.to(torch::kFloat)) < 1e-5);
  }
}

TEST_CASE("moe: no slot is dropped when capacity factor >= E/k", "[moe]") {
  // Every token prefers experts 0 and 1: the worst case for capacity.
  const auto skewed = [](double capacity_factor) {
    auto config = tiny_config(4, 2);
    config.capacity_factor = capacity_factor;
    SparseMoe moe(config);
    torch::NoGradGuard no_grad;
    moe->gate->route_bias.copy_(torch::tensor({50.f, 40.f, 0.f, 0.f}));
    return moe;
  };
  const auto x = torch::randn({32, 4});
  CHECK(skewed(2.0)->forward(x).stats.dropped_fraction == 0);  // E / k
  // Below E / k the skew must drop: experts 0 and 1 serve 16 of their 32 slots each.
  CHECK(skewed(1.0)->forward(x).stats.dropped_fraction == Approx(0.5));
}

TEST_CASE("moe: routing statistics describe the pass", "[moe]") {
  auto config = tiny_config(4, 1);
  SparseMoe moe(config);
  SECTION("collapse onto one expert") {
    {
      torch::NoGradGuard no_grad;
      moe->gate->route_weight.zero_();
      moe->gate->route_bias.copy_(torch::tensor({0.f, 0.f, 9.f, 0.f}));
    }
    const auto stats = moe->forward(torch::randn({10, 4})).stats;
    CHECK((stats.load == std::vector<double>{0, 0, 1, 0}));
    CHECK(stats.max_over_mean == Approx(4.0));
    CHECK(stats.dead_experts == 3);
    CHECK(stats.dropped_fraction == 0);
  }
  SECTION("equal scores: entropy is log E") {
    {
      torch::NoGradGuard no_grad;
      moe->gate->route_weight.zero_();
      moe->gate->route_bias.zero_();
    }
    CHECK(moe->forward(torch::randn({10, 4})).stats.entropy == Approx(std::log(4.0)));
  }
}

TEST_CASE("moe: shared experts add an always-on FFN to every token", "[moe]") {
  torch::manual_seed(29);
  auto config = tiny_config(4, 2);
  config.shared_experts = 1;
  SparseMoe moe(config);
  REQUIRE(moe->shared);
  const auto x = torch::randn({2, 3, config.d_model});
  const auto routed = moe->gate->forward(x.view({6, config.d_model}));
  const auto sparse_part =
      moe->experts->naive(x.view({6, config.d_model}), routed.indices, routed.weights, 0);
  const auto expected = sparse_part + moe->shared->forward(x.view({6, config.d_model}));
  CHECK(max_difference(moe->forward(x).y.view({6, config.d_model}), expected) < 1e-5);
}

TEST_CASE("moe: a fixed seed and thread count give identical passes", "[moe]") {
  at::set_num_threads(2);
  auto config = tiny_config(4, 2);
  config.noisy_gate = true;
  const auto pass = [&] {
    torch::manual_seed(31);
    SparseMoe moe(config);
    moe->train();
    const auto x = torch::randn({64, config.d_model});
    const auto out = moe->forward(x);
    (out.y.sum() + out.balance_loss).backward();
    return std::make_pair(out.y.detach(), moe->experts->w1.grad());
  };
  const auto [y1, grad1] = pass();
  const auto [y2, grad2] = pass();
  CHECK(y1.equal(y2));
  CHECK(grad1.equal(grad2));
}

TEST_CASE("moe: bad input is refused with a message naming the expected shape", "[moe]") {
  SparseMoe moe(tiny_config(4, 2));
  CHECK_THROWS_WITH(moe->forward(torch::zeros({2, 3, 5})), Catch::Contains("(B, T, 4)"));
  auto config = tiny_config(4, 2);
  config.capacity_factor = -1;
  CHECK_THROWS_WITH(SparseMoe(config), Catch::Contains("capacity_factor"));
}

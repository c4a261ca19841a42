#include <catch2/catch.hpp>

#include <cmath>

#include "moe_testing.hpp"
#include "requip/moe/top_k_gate.hpp"

using requip::moe::TopKGate;
using requip::test::max_difference;

namespace {

// A gate over E one-hot directions: token x scores expert e by scale * x_e.
TopKGate one_hot_gate(int64_t experts, int64_t top_k, double scale) {
  TopKGate gate(experts, experts, top_k, /*noisy=*/false);
  torch::NoGradGuard no_grad;
  gate->route_weight.copy_(torch::eye(experts) * scale);
  gate->route_bias.zero_();
  return gate;
}

}  // namespace

TEST_CASE("gate: hand-computed 4-expert top-2 scores, picks and weights", "[moe][gate]") {
  TopKGate gate(2, 4, 2, /*noisy=*/false);
  {
    torch::NoGradGuard no_grad;
    gate->route_weight.copy_(
        torch::tensor({1.f, 0.f, 0.f, 1.f, -1.f, 0.f, 0.f, -1.f}).view({4, 2}));
    gate->route_bias.zero_();
  }
  // x = (2, 1): logits (2, 1, -2, -1); top-2 are experts 0 and 1, weights softmax(2, 1).
  const auto out = gate->forward(torch::tensor({2.f, 1.f}).view({1, 2}));
  CHECK(max_difference(out.logits, torch::tensor({2.f, 1.f, -2.f, -1.f}).view({1, 4})) < 1e-6);
  CHECK(out.indices[0][0].item<int64_t>() == 0);
  CHECK(out.indices[0][1].item<int64_t>() == 1);
  const double first = 1 / (1 + std::exp(-1.0));
  CHECK(out.weights[0][0].item<double>() == Approx(first).epsilon(1e-6));
  CHECK(out.weights[0][1].item<double>() == Approx(1 - first).epsilon(1e-6));
  const double partition = std::exp(2) + std::exp(1) + std::exp(-2) + std::exp(-1);
  CHECK(out.probs[0][0].item<double>() == Approx(std::exp(2) / partition).epsilon(1e-6));
  CHECK(out.z_loss.item<double>() == Approx(std::pow(std::log(partition), 2)).epsilon(1e-6));
}

TEST_CASE("gate: balance loss is 1.0 at uniform routing and E at collapse", "[moe][gate]") {
  const int64_t experts = 4;
  SECTION("uniform: each token its own expert") {
    auto gate = one_hot_gate(experts, 1, 5.0);
    const auto out = gate->forward(torch::eye(experts).repeat({3, 1}));
    CHECK(out.expert_counts.eq(3).all().item<bool>());
    CHECK(out.balance_loss.item<double>() == Approx(1.0).epsilon(1e-6));
  }
  SECTION("uniform: equal scores for every expert") {
    TopKGate gate(8, experts, 2, /*noisy=*/false);
    {
      torch::NoGradGuard no_grad;
      gate->route_weight.zero_();
      gate->route_bias.zero_();
    }
    CHECK(gate->forward(torch::randn({16, 8})).balance_loss.item<double>() ==
          Approx(1.0).epsilon(1e-6));
  }
  SECTION("collapse: every token on expert 0 with certainty") {
    auto gate = one_hot_gate(experts, 1, 100.0);
    const auto tokens = torch::zeros({12, experts});
    tokens.select(1, 0).fill_(1);
    CHECK(gate->forward(tokens).balance_loss.item<double>() ==
          Approx(static_cast<double>(experts)).epsilon(1e-6));
  }
}

TEST_CASE("gate: z-loss is the mean squared logsumexp of the logits", "[moe][gate]") {
  torch::manual_seed(3);
  TopKGate gate(6, 5, 2, /*noisy=*/false);
  const auto x = torch::randn({7, 6});
  const auto out = gate->forward(x);
  const auto logits = x.matmul(gate->route_weight.t()) + gate->route_bias;
  const auto expected = logits.exp().sum(-1).log().pow(2).mean();
  CHECK(out.z_loss.item<double>() == Approx(expected.item<double>()).epsilon(1e-5));
}

TEST_CASE("gate: at k=1 the router gets a gradient from the layer output", "[moe][gate]") {
  torch::manual_seed(5);
  TopKGate gate(4, 3, 1, /*noisy=*/false);
  const auto out = gate->forward(torch::randn({5, 4}));
  (out.weights * torch::randn({5, 1})).sum().backward();
  REQUIRE(gate->route_weight.grad().defined());
  CHECK(gate->route_weight.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("gate: noise is used while training and off in eval", "[moe][gate]") {
  torch::manual_seed(11);
  TopKGate gate(8, 8, 2, /*noisy=*/true);
  const auto x = torch::randn({64, 8});
  gate->eval();
  const auto clean = gate->forward(x);
  CHECK(clean.indices.equal(std::get<1>(clean.logits.topk(2, -1))));
  CHECK(clean.indices.equal(gate->forward(x).indices));
  gate->train();
  const auto first = gate->forward(x), second = gate->forward(x);
  CHECK_FALSE(first.weights.equal(second.weights));
  (first.weights * torch::randn({64, 2})).sum().backward();
  REQUIRE(gate->noise_weight.grad().defined());
  CHECK(gate->noise_weight.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("gate: masked experts are never selected and get zero probability", "[moe][gate]") {
  torch::manual_seed(2);
  TopKGate gate(8, 6, 2, /*noisy=*/true);
  gate->set_expert_mask(torch::tensor({false, true, true, false, true, true}));
  gate->train();
  const auto out = gate->forward(torch::randn({200, 8}));
  CHECK_FALSE(out.indices.eq(0).any().item<bool>());
  CHECK_FALSE(out.indices.eq(3).any().item<bool>());
  CHECK(out.probs.select(1, 0).eq(0).all().item<bool>());
  CHECK(out.probs.select(1, 3).eq(0).all().item<bool>());
  CHECK(max_difference(out.probs.sum(-1), torch::ones({200})) < 1e-5);

  SECTION("fewer selectable experts than top_k is refused with the fix") {
    CHECK_THROWS_WITH(
        gate->set_expert_mask(torch::tensor({true, false, false, false, false, false})),
        Catch::Contains("unmask more experts"));
  }
}

TEST_CASE("gate: bias balancing steers selection by sign, weights stay unbiased", "[moe][gate]") {
  auto gate = one_hot_gate(4, 1, 1.0);
  gate->enable_bias_balancing(0.01);
  {
    torch::NoGradGuard no_grad;
    gate->selection_bias.copy_(torch::tensor({0.f, 0.f, 0.f, 10.f}));
  }
  gate->train();
  const auto x = torch::eye(4).repeat({2, 1});  // each token prefers its own expert
  const auto out = gate->forward(x);
  CHECK(out.indices.eq(3).all().item<bool>());  // the bias wins the selection
  CHECK(max_difference(out.weights, out.probs.select(1, 3).unsqueeze(1)) < 1e-6);
  // Expert 3 took every slot: its bias goes down by the rate, the idle ones go up.
  CHECK(max_difference(gate->selection_bias, torch::tensor({0.01f, 0.01f, 0.01f, 9.99f})) < 1e-6);
  CHECK_FALSE(gate->selection_bias.requires_grad());
}

TEST_CASE("gate: bad sizes are refused with a message naming them", "[moe][gate]") {
  CHECK_THROWS_WITH(TopKGate(4, 3, 4, false), Catch::Contains("top_k 4"));
  TopKGate gate(4, 3, 2, false);
  CHECK_THROWS_WITH(gate->forward(torch::zeros({2, 5})), Catch::Contains("(tokens, 4)"));
}

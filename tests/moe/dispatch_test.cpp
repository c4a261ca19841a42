#include <catch2/catch.hpp>

#include <vector>

#include "moe_testing.hpp"
#include "requip/moe/sparse_moe.hpp"

using namespace requip::moe;
using requip::test::max_difference;

namespace {

struct PassResult {
  torch::Tensor y;
  std::vector<torch::Tensor> gradients;  // input first, then every parameter
  RoutingStats stats;
};

// One forward and backward through `dispatch`, with a loss that touches every output and both
// router losses, so that every parameter gets a gradient.
PassResult run_pass(SparseMoe& moe, Dispatch dispatch, const torch::Tensor& x,
                    const torch::Tensor& probe) {
  moe->zero_grad();
  moe->set_dispatch(dispatch);
  const auto input = x.detach().clone().requires_grad_(true);
  const auto out = moe->forward(input);
  ((out.y * probe).sum() + out.balance_loss + out.z_loss).backward();
  PassResult result{out.y.detach(), {input.grad()}, out.stats};
  for (const auto& parameter : moe->parameters())
    result.gradients.push_back(parameter.grad().clone());  // zero_grad reuses the tensor
  return result;
}

MoeConfig small_config() {
  MoeConfig config;
  config.d_model = 8;
  config.d_hidden = 16;
  config.experts = 4;
  config.top_k = 2;
  config.noisy_gate = false;  // the same routing on every pass
  return config;
}

enum class Bound { absolute, relative };

// Within 1e-5, or with Bound::relative within 1e-5 times (1 + the oracle's largest magnitude):
// weight gradients that sum over hundreds of slots grow with their count, and so does rounding.
void check_same_pass(const PassResult& fast, const PassResult& oracle,
                     Bound bound = Bound::absolute) {
  const auto tolerance = [bound](const torch::Tensor& expected) {
    return bound == Bound::absolute ? 1e-5 : 1e-5 * (1 + expected.abs().max().item<double>());
  };
  CHECK(max_difference(fast.y, oracle.y) <= tolerance(oracle.y));
  REQUIRE(fast.gradients.size() == oracle.gradients.size());
  for (std::size_t i = 0; i < fast.gradients.size(); ++i) {
    INFO("gradient " << i);
    REQUIRE(fast.gradients[i].defined());
    REQUIRE(oracle.gradients[i].defined());
    CHECK(max_difference(fast.gradients[i], oracle.gradients[i]) <= tolerance(oracle.gradients[i]));
  }
}

}  // namespace

TEST_CASE("moe: grouped dispatch equals the naive oracle, forward and every gradient", "[moe]") {
  torch::manual_seed(17);
  auto config = small_config();
  const bool with_capacity = GENERATE(false, true);
  config.capacity_factor = with_capacity ? 0.75 : 0;
  SparseMoe moe(config);
  const auto x = torch::randn({3, 10, config.d_model});
  const auto probe = torch::randn({3, 10, config.d_model});

  const auto grouped = run_pass(moe, Dispatch::grouped, x, probe);
  const auto naive = run_pass(moe, Dispatch::naive, x, probe);
  INFO("capacity factor " << config.capacity_factor);
  check_same_pass(grouped, naive);
  if (with_capacity) CHECK(grouped.stats.dropped_fraction > 0);  // the drop rule was exercised
  CHECK(grouped.stats.dropped_fraction == naive.stats.dropped_fraction);
}

TEST_CASE(
    "moe: grouped dispatch equals the naive oracle on two threads, with experts cut into pieces "
    "and an expert no slot reaches",
    "[moe]") {
  torch::manual_seed(19);
  const int previous_threads = torch::get_num_threads();
  torch::set_num_threads(2);
  MoeConfig config = small_config();
  config.d_model = 16;
  config.d_hidden = 320;  // three pieces of hidden units per expert
  SparseMoe moe(config);
  moe->gate->set_expert_mask(torch::tensor({true, true, true, false}));
  // 2,400 slots over three experts: several pieces of rows each.
  const auto x = torch::randn({1200, config.d_model});
  const auto probe = torch::randn({1200, config.d_model});

  const auto grouped = run_pass(moe, Dispatch::grouped, x, probe);
  const auto naive = run_pass(moe, Dispatch::naive, x, probe);
  torch::set_num_threads(previous_threads);
  CHECK(grouped.stats.load[3] == 0);
  check_same_pass(grouped, naive, Bound::relative);
}

TEST_CASE("moe: gathered dispatch equals the naive oracle, forward and every gradient", "[moe]") {
  torch::manual_seed(19);
  auto config = small_config();
  SparseMoe moe(config);
  const auto x = torch::randn({5, config.d_model});
  const auto probe = torch::randn({5, config.d_model});
  check_same_pass(run_pass(moe, Dispatch::gathered, x, probe),
                  run_pass(moe, Dispatch::naive, x, probe));
}

TEST_CASE("moe: expert choice gives each expert its top tokens by probability", "[moe]") {
  torch::manual_seed(23);
  auto config = small_config();
  config.routing = Routing::expert_choice;
  SparseMoe moe(config);
  moe->eval();
  const auto x = torch::randn({12, config.d_model});
  const auto out = moe->forward(x);

  // Oracle: each expert takes its C = N k / E = 6 best tokens, weighted by their probability.
  const auto probs = moe->gate->forward(x).probs;
  auto expected = torch::zeros_like(x);
  for (int64_t e = 0; e < config.experts; ++e) {
    const auto [scores, tokens] = probs.select(1, e).topk(6);
    const auto y = moe->experts->expert(e, x.index_select(0, tokens));
    expected.index_add_(0, tokens, y * scores.unsqueeze(1));
  }
  CHECK(max_difference(out.y, expected) <= 1e-5);
  CHECK(out.stats.max_over_mean == Approx(1.0));
  CHECK(out.balance_loss.item<double>() == 0);
}

#include <stdexcept>

#include "lm_fixtures.hpp"
#include "requip/moe/top_k_gate.hpp"
#include "token_decoder.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

namespace {

constexpr std::int64_t vocab = 12;

// The largest difference, over every position of `ids`, between the decoder's logits and the
// model's own, both fed one id at a time (the model through its KV cache): with a capacity, a
// whole sequence at once may drop slots that a lone position never does.
double largest_difference(moe::LanguageModel& model, const std::vector<std::int64_t>& ids) {
  torch::NoGradGuard no_grad;
  model->eval();
  moe::KvCache cache = model->new_cache(1);
  moe::detail::TokenDecoder decoder(model);
  double largest = 0;
  for (std::int64_t id : ids) {
    const torch::Tensor expected =
        model->forward(torch::tensor({id}, torch::kInt64).view({1, 1}), &cache).logits[0][0];
    const torch::Tensor got = torch::tensor(decoder.step(id));
    largest = std::max(largest, (got - expected).abs().max().item<double>());
  }
  return largest;
}

std::vector<std::int64_t> a_full_block() {
  std::vector<std::int64_t> ids;
  for (std::int64_t t = 0; t < 16; ++t)
    ids.push_back((t * 7 + 3) % vocab);
  return ids;
}

moe::LanguageModel model_of(const moe::LmConfig& config) {
  torch::manual_seed(11);
  return moe::LanguageModel(config);
}

}  // namespace

TEST_CASE("token decoder: its logits equal the full model's at every position",
          "[moe][lm][decoder]") {
  moe::LmConfig config = test::tiny_lm_config(vocab);
  SECTION("the seed's top-2 MoE") {}
  SECTION("the dense baseline") {
    config.dense = true;
  }
  SECTION("top-1, with capacity and shared experts") {
    config.moe.top_k = 1;
    config.moe.capacity_factor = 1.0;
    config.moe.shared_experts = 1;
  }
  moe::LanguageModel model = model_of(config);
  CHECK(largest_difference(model, a_full_block()) < 1e-4);
}

TEST_CASE("token decoder: a masked expert is never chosen and the selection bias steers",
          "[moe][lm][decoder]") {
  moe::LmConfig config = test::tiny_lm_config(vocab);
  config.moe.bias_balancing = true;
  moe::LanguageModel model = model_of(config);
  for (const auto& module : model->modules()) {
    if (auto* gate = module->as<moe::TopKGateImpl>()) {
      gate->set_expert_mask(torch::tensor({true, true, false, true}));
      torch::NoGradGuard no_grad;
      gate->selection_bias.copy_(torch::tensor({0.0f, 3.0f, 0.0f, -3.0f}));
    }
  }
  CHECK(largest_difference(model, a_full_block()) < 1e-4);
}

TEST_CASE("token decoder: reset forgets the context", "[moe][lm][decoder]") {
  moe::LanguageModel model = model_of(test::tiny_lm_config(vocab));
  moe::detail::TokenDecoder decoder(model);
  const std::vector<float> fresh = decoder.step(4);
  decoder.step(5);
  decoder.reset();
  CHECK(decoder.length() == 0);
  CHECK(decoder.step(4) == fresh);
}

TEST_CASE("token decoder: a full context and an unknown id are refused", "[moe][lm][decoder]") {
  moe::LanguageModel model = model_of(test::tiny_lm_config(vocab));
  moe::detail::TokenDecoder decoder(model);
  CHECK_THROWS_AS(decoder.step(vocab), std::out_of_range);
  for (std::int64_t id : a_full_block())
    decoder.step(id);
  CHECK_THROWS_AS(decoder.step(0), std::out_of_range);
}

TEST_CASE("token decoder: expert-choice models are left to the full model", "[moe][lm][decoder]") {
  moe::LmConfig config = test::tiny_lm_config(vocab);
  CHECK(moe::detail::TokenDecoder::supports(config));
  config.moe.routing = moe::Routing::expert_choice;
  CHECK_FALSE(moe::detail::TokenDecoder::supports(config));
  moe::LanguageModel model = model_of(config);
  CHECK_THROWS_AS(moe::detail::TokenDecoder(model), std::invalid_argument);
}

TEST_CASE("token decoder: reading a context at once continues as stepping through it does",
          "[moe][lm][decoder]") {
  moe::LanguageModel model = model_of(test::tiny_lm_config(vocab));
  model->eval();
  std::vector<std::int64_t> ids = a_full_block();
  ids.pop_back();  // room for one more position after the context
  const std::int64_t next = 5;
  for (std::size_t length : {std::size_t{3}, ids.size()}) {  // one by one, and batched
    const std::vector<std::int64_t> context(ids.begin(), ids.begin() + length);
    moe::detail::TokenDecoder stepped(model), read(model);
    std::vector<float> expected;
    for (std::int64_t id : context)
      expected = stepped.step(id);
    const torch::Tensor got = torch::tensor(read.read(context));
    CHECK((got - torch::tensor(expected)).abs().max().item<double>() < 1e-4);
    CHECK(read.length() == stepped.length());
    const torch::Tensor after = torch::tensor(read.step(next));
    CHECK((after - torch::tensor(stepped.step(next))).abs().max().item<double>() < 1e-4);
  }
  moe::detail::TokenDecoder decoder(model);
  CHECK_THROWS_AS(decoder.read({}), std::out_of_range);
}

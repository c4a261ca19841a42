#include "requip/moe/lm_generator.hpp"
#include "lm_fixtures.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

namespace {

moe::LanguageModel random_model() {
  torch::manual_seed(3);
  return moe::LanguageModel(test::tiny_lm_config(12));
}

}  // namespace

TEST_CASE("lm generator: the KV cache gives the same characters as re-reading the context",
          "[moe][lm][generate]") {
  moe::LanguageModel model = random_model();
  moe::SampleOptions options;
  options.count = 15;  // with the 1-id prompt this fills the 16-position block exactly
  const auto cached = moe::generate(model, {5}, options);
  options.kv_cache = false;
  CHECK(moe::generate(model, {5}, options) == cached);
}

TEST_CASE("lm generator: generation goes on past the block size", "[moe][lm][generate]") {
  moe::LanguageModel model = random_model();
  moe::SampleOptions options;
  options.count = 100;
  std::int64_t streamed = 0;
  const auto ids = moe::generate(model, {1, 2}, options, [&](std::int64_t) { ++streamed; });
  CHECK(ids.size() == 100);
  CHECK(streamed == 100);
  for (std::int64_t id : ids)
    CHECK((id >= 0 && id < 12));
}

TEST_CASE("lm generator: top-k 1 is greedy and a seed fixes the sample", "[moe][lm][generate]") {
  moe::LanguageModel model = random_model();
  moe::SampleOptions options;
  options.count = 20;
  options.top_k = 1;
  const auto greedy = moe::generate(model, {0}, options);
  options.seed = 99;
  options.temperature = 5.0;
  CHECK(moe::generate(model, {0}, options) == greedy);  // one candidate: seed and heat don't matter

  options.top_k = 0;
  const auto sampled = moe::generate(model, {0}, options);
  CHECK(moe::generate(model, {0}, options) == sampled);
  CHECK(sampled != greedy);
}

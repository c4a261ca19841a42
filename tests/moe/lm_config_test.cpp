#include <nlohmann/json.hpp>

#include "requip/moe/lm_config.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

TEST_CASE("lm config: the defaults are the seed's hyperparameters", "[moe][lm][config]") {
  const moe::LmConfig config;
  CHECK(config.block_size == 128);
  CHECK(config.n_embed() == 128);
  CHECK(config.n_head == 4);
  CHECK(config.n_layer == 4);
  CHECK(config.moe.experts == 8);
  CHECK(config.moe.top_k == 2);
  CHECK(config.dropout == 0.1);
}

TEST_CASE("lm config: JSON round trip", "[moe][lm][config]") {
  moe::LmConfig config;
  config.n_layer = 3;
  config.dense = true;
  config.moe.experts = 16;
  const auto back = moe::lm_config_from_json(moe::to_json(config));
  CHECK(moe::to_json(back) == moe::to_json(config));
}

TEST_CASE("lm config: impossible shapes are refused naming the flag", "[moe][lm][config]") {
  moe::LmConfig config;
  config.n_head = 3;
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("--heads"));
  config = {};
  config.moe.top_k = 9;
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("lower --top-k"));
  auto json = moe::to_json(moe::LmConfig{});
  json.erase("n_layer");
  CHECK_THROWS_WITH(moe::lm_config_from_json(json), Catch::Contains("'n_layer'"));
}

TEST_CASE("lm config: a size written as a fraction or out of range is refused, never cast",
          "[moe][lm][config]") {
  for (const double written : {2.5, 1e300, -1e300}) {
    INFO(written);
    auto json = moe::to_json(moe::LmConfig{});
    json["n_embed"] = written;
    CHECK_THROWS_WITH(moe::lm_config_from_json(json),
                      Catch::Contains("'n_embed' is not an integer"));
  }
}

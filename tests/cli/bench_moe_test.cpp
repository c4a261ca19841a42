#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE("bench moe --json prints both layer shapes with every figure", "[cli][bench][moe]") {
  auto result = requip::test::run_requip(
      {"bench", "moe", "--json", "--tokens", "64", "--repeats", "1", "--threads", "1"});
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  const auto& shapes = figures.at("shapes");
  REQUIRE(shapes.size() == 2);
  CHECK(shapes[0].at("d") == 128);
  CHECK(shapes[1].at("d") == 512);
  for (const auto& shape : shapes) {
    CHECK(shape.at("tokens") == 64);
    CHECK(shape.at("experts") == 8);
    CHECK(shape.at("top_k") == 2);
    // Two GEMMs of d x 4d per slot, two flops per multiply-add.
    const double d = shape.at("d").get<double>();
    CHECK(shape.at("fwd_flop_per_token").get<double>() == 2 * 2 * 2 * d * 4 * d);
    for (const char* key : {"grouped_fwd_tok_s", "naive_fwd_tok_s", "dense_fwd_tok_s",
                            "grouped_fwdbwd_tok_s", "naive_fwdbwd_tok_s", "dense_fwdbwd_tok_s"}) {
      INFO(key);
      CHECK(shape.at(key).get<double>() > 0);
    }
  }
  CHECK_FALSE(figures.at("small_batches").empty());
}

TEST_CASE("bench moe --json reports a CPU peak no layer exceeds", "[cli][bench][moe]") {
  auto result = requip::test::run_requip(
      {"bench", "moe", "--json", "--tokens", "64", "--repeats", "1", "--threads", "1"});
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  const double peak = figures.at("fp32_fma_peak_gflop_s").get<double>();
  CHECK(peak > 1);
  for (const auto& shape : figures.at("shapes")) {
    const double flop = shape.at("fwd_flop_per_token").get<double>();
    for (const char* key : {"grouped_fwd_tok_s", "naive_fwd_tok_s", "dense_fwd_tok_s"}) {
      INFO(key << " at d=" << shape.at("d"));
      CHECK(shape.at(key).get<double>() * flop / 1e9 < peak);
    }
  }
}

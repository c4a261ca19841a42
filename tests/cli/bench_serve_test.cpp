#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE(
    "bench serve --json prints the all-fast and the mixed run, and an idle conversation's bytes",
    "[cli][bench]") {
  auto result =
      requip::test::run_requip({"bench", "serve", "--json", "--seconds", "2", "--connections", "9",
                                "--streams", "20", "--idle-conversations", "200"});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 6);
  CHECK(figures.at("requests_per_s").get<double>() > 0);
  CHECK(figures.at("p99_ms").get<double>() > 0);
  CHECK(figures.at("websocket_sessions") == 20);
  // Eight fast connections kept answering beside the slow one.
  CHECK(figures.at("mixed_fast_requests_per_s").get<double>() > 0);
  CHECK(figures.at("mixed_fast_p99_ms").get<double>() > 0);
  CHECK(figures.at("conversation_bytes").get<double>() > 0);
}

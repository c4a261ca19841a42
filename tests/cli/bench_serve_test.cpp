#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE("bench serve --json prints requests/s, p99 and the streams held open", "[cli][bench]") {
  auto result = requip::test::run_requip(
      {"bench", "serve", "--json", "--seconds", "2", "--connections", "4", "--streams", "20"});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 3);
  CHECK(figures.at("requests_per_s").get<double>() > 0);
  CHECK(figures.at("p99_ms").get<double>() > 0);
  CHECK(figures.at("websocket_sessions") == 20);
}

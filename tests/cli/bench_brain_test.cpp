#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE("bench brain --json prints one object with the figures", "[cli][bench]") {
  auto result = requip::test::run_requip({"bench", "brain", "--json", "--turns", "2000"});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 2);
  CHECK(figures.at("turns_per_s").get<double>() > 0);
  CHECK(figures.at("overhead_us").is_number());
}

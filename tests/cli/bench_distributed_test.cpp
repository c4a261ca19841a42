#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE(
    "bench distributed --json gives the scaling efficiency and communication share of "
    "both parallelisms",
    "[cli][bench][distributed]") {
  auto result = requip::test::run_requip({"bench", "distributed", "--json", "--steps", "1"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  for (const char* key : {"dp_scaling_efficiency", "ep_scaling_efficiency", "dp_cpu_efficiency",
                          "ep_cpu_efficiency"}) {
    INFO(key);
    CHECK(figures.at(key).get<double>() > 0);
  }
  for (const char* key : {"dp_comm_fraction", "ep_comm_fraction"}) {
    INFO(key);
    CHECK(figures.at(key).get<double>() > 0);
    CHECK(figures.at(key).get<double>() < 1);
  }
}

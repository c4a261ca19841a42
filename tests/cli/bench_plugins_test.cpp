#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE("bench plugins --json prints one object with the reload and turn figures",
          "[cli][bench][plugins]") {
  auto result = requip::test::run_requip({"bench", "plugins", "--json", "--reloads", "3"});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 4);
  CHECK(figures.at("reload_p50_ms").get<double>() > 0);
  CHECK(figures.at("reload_max_ms").get<double>() >= figures.at("reload_p50_ms").get<double>());
  CHECK(figures.at("turn_max_ms_during_reload").get<double>() > 0);
  CHECK(figures.at("turn_max_ms_baseline").get<double>() > 0);
}

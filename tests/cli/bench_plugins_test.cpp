#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE(
    "bench plugins --json prints one object with turn, reload and restart figures for both "
    "isolation modes",
    "[cli][bench][plugins]") {
  auto result = requip::test::run_requip(
      {"bench", "plugins", "--json", "--reloads", "3", "--turns", "200", "--restarts", "2"});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 12);
  for (const char* positive :
       {"inproc_turn_p50_us", "oop_turn_p50_us", "reload_p50_ms", "oop_reload_p50_ms",
        "turn_max_ms_during_reload", "oop_turn_max_ms_during_reload", "turn_max_ms_baseline",
        "oop_restart_max_ms"}) {
    INFO(positive);
    CHECK(figures.at(positive).get<double>() > 0);
  }
  CHECK(figures.at("inproc_turn_p99_us").get<double>() >=
        figures.at("inproc_turn_p50_us").get<double>());
  CHECK(figures.at("oop_turn_p99_us").get<double>() >= figures.at("oop_turn_p50_us").get<double>());
  CHECK(figures.at("reload_max_ms").get<double>() >= figures.at("reload_p50_ms").get<double>());
  CHECK(figures.at("oop_reload_max_ms").get<double>() >=
        figures.at("oop_reload_p50_ms").get<double>());
}

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "subprocess.hpp"

TEST_CASE(
    "bench start --json times the first reply and the peak memory of chat and the "
    "embedded bot, on a new and a trained database",
    "[cli][bench]") {
  auto result = requip::test::run_requip({"bench", "start", "--json", "--runs", "1"});
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  for (const char* start :
       {"requip --version", "embedded bot, new database", "embedded bot, trained database",
        "chat, new database", "chat, trained database"}) {
    INFO(start);
    REQUIRE(figures.contains(start));
    CHECK(figures.at(start).at("first_reply_s").get<double>() > 0);
    CHECK(figures.at(start).at("peak_rss_mb").get<double>() > 0);
  }
}

TEST_CASE("bench start names the embedded bot it cannot find, and how to give it", "[cli][bench]") {
  auto result = requip::test::run_requip({"bench", "start", "--bot", "/nonexistent/bot"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("/nonexistent/bot") && Catch::Contains("--bot"));
}

TEST_CASE("the language model's commands are run by requip-moe under requip's name", "[cli]") {
  auto result = requip::test::run_requip({"train", "--help"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("requip train") && Catch::Contains("--store"));
  result = requip::test::run_requip({"sample", "--no-such-option"});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("--no-such-option"));
}

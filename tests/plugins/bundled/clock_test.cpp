#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "bundled_plugin.hpp"

using requip::Brain;
using requip::test::answer;
using requip::test::bundled_skill;

TEST_CASE("clock plugin: tells the time and the date", "[plugins][clock]") {
  Brain brain;
  brain.add(bundled_skill("clock", brain));
  CHECK_THAT(answer(brain, "what time is it")[0], Catch::Matches("It is \\d\\d:\\d\\d\\."));
  CHECK_THAT(answer(brain, "what's the date today")[0], Catch::StartsWith("Today is "));
}

TEST_CASE("clock plugin: a reminder arrives through a tick once it is due", "[plugins][clock]") {
  Brain brain;
  brain.add(bundled_skill("clock", brain));
  CHECK(answer(brain, "remind me in 1 second to stretch") ==
        std::vector<std::string>{"I will remind you in 1 second: stretch."});
  CHECK(brain.tick().lines.empty());  // not yet due
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(brain.tick().lines == std::vector<std::string>{"Reminder: stretch"});
  CHECK(brain.tick().lines.empty());  // said once
}

TEST_CASE("clock plugin: pending timers are handed over to a replacement", "[plugins][clock]") {
  Brain brain;
  brain.add(bundled_skill("clock", brain));
  CHECK(answer(brain, "set a timer for 5 minutes") ==
        std::vector<std::string>{"Timer set for 5 minutes."});
  brain.add(bundled_skill("clock", brain));  // a live swap: state goes through save/restore
  const auto listed = answer(brain, "list my timers");
  REQUIRE(listed.size() == 1);
  CHECK_THAT(listed[0], Catch::EndsWith("Timer done: 5 minutes."));
}

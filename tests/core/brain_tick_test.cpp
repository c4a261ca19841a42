#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::answering;
using requip::test::ScriptedSkill;

TEST_CASE("brain: a turn runs every step of its answer, and continuous skills act between turns",
          "[core][brain][continuous]") {
  Brain brain;
  auto reminder = std::make_shared<ScriptedSkill>("reminder", SkillKind::continuous);
  reminder->on_tick = [] { return Algorithm::say("reminder!"); };
  brain.add(reminder);
  brain.add(answering("story", {"once", "upon", "a time"}));

  SECTION("a turn's reply holds all of its lines, and the back seat waits for it") {
    CHECK(brain.converse("tell me a story").lines ==
          std::vector<std::string>{"once", "upon", "a time"});
    CHECK(reminder->ticks == 0);
  }
  SECTION("between turns the continuous skill speaks on a tick") {
    Reply reply = brain.tick();
    CHECK(reminder->ticks == 1);
    CHECK(reply.lines == std::vector<std::string>{"reminder!"});
    CHECK(reply.skill == "reminder");
  }
}

TEST_CASE("brain: within a turn a priority-2 answer runs before a priority-4 one",
          "[core][brain][dispatcher]") {
  Brain brain;
  brain.add(answering("slow", {"slow 1", "slow 2"}, 4));
  brain.add(answering("urgent", {"ALARM"}, 2));
  Reply reply = brain.converse("now");
  CHECK(reply.lines == std::vector<std::string>{"ALARM", "slow 1", "slow 2"});
  CHECK(reply.skill == "slow");  // the skill that spoke last
}

TEST_CASE("brain: a full queue is reported in the reply", "[core][brain][dispatcher]") {
  BrainOptions options;
  options.queue_capacity = 1;
  Brain brain(nullptr, options);
  brain.add(answering("first", {"a", "b"}));
  brain.add(answering("second", {"c"}));
  Reply reply = brain.converse("go");
  CHECK(reply.lines == std::vector<std::string>{"a", "b"});
  REQUIRE(reply.notices.size() == 1);
  CHECK_THAT(reply.notices[0], Catch::Contains("queue is full") && Catch::Contains("'second'"));
}

TEST_CASE("brain: each line reaches the turn's sink as its step runs", "[core][brain]") {
  Brain brain;
  std::vector<std::string> seen;
  brain.add(answering("two", {"x", "y"}));
  Reply reply = brain.converse(
      "go", [&](const Output& output) { seen.push_back(output.skill + ": " + output.line); });
  CHECK(seen == std::vector<std::string>{"two: x", "two: y"});
  CHECK(reply.lines == std::vector<std::string>{"x", "y"});
}

#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::answering;
using requip::test::ScriptedSkill;

TEST_CASE("brain: continuous skills act on ticks only while nothing else is pending",
          "[core][brain][continuous]") {
  Brain brain;
  auto reminder = std::make_shared<ScriptedSkill>("reminder", SkillKind::continuous);
  reminder->on_tick = [] { return Algorithm::say("reminder!"); };
  brain.add(reminder);
  brain.add(answering("story", {"once", "upon", "a time"}));

  SECTION("a pending answer keeps the back seat waiting") {
    CHECK(brain.think("tell me a story").lines == std::vector<std::string>{"once"});
    CHECK(brain.tick().lines == std::vector<std::string>{"upon"});
    CHECK(brain.tick().lines == std::vector<std::string>{"a time"});
    CHECK(reminder->ticks == 0);
  }
  SECTION("an idle brain lets the continuous skill speak on the next tick") {
    Reply reply = brain.tick();
    CHECK(reminder->ticks == 1);
    CHECK(reply.lines == std::vector<std::string>{"reminder!"});
    CHECK(reply.skill == "reminder");
  }
}

TEST_CASE("brain: a priority-2 answer interrupts a priority-4 one, which then finishes",
          "[core][brain][dispatcher]") {
  Brain brain;
  brain.add(answering("slow", {"slow 1", "slow 2", "slow 3"}, 4));
  auto alarm = std::make_shared<ScriptedSkill>("alarm", SkillKind::continuous);
  brain.add(alarm);

  CHECK(brain.think("begin").lines == std::vector<std::string>{"slow 1"});
  brain.remove("slow");  // the running algorithm keeps going without its skill
  alarm->on_input = [](const Stimulus&) { return Algorithm::say_lines({"ALARM"}, 2); };
  Reply interrupted = brain.think("fire");
  CHECK(interrupted.lines == std::vector<std::string>{"ALARM"});
  CHECK(interrupted.skill == "alarm");
  CHECK(brain.tick().lines == std::vector<std::string>{"slow 2"});
  CHECK(brain.tick().lines == std::vector<std::string>{"slow 3"});
  CHECK_FALSE(brain.busy());
}

TEST_CASE("brain: a full queue is reported in the reply", "[core][brain][dispatcher]") {
  BrainOptions options;
  options.queue_capacity = 1;
  Brain brain(nullptr, options);
  brain.add(answering("first", {"a", "b"}));
  brain.add(answering("second", {"c"}));
  Reply reply = brain.think("go");
  CHECK(reply.lines == std::vector<std::string>{"a"});
  REQUIRE(reply.notices.size() == 1);
  CHECK_THAT(reply.notices[0], Catch::Contains("queue is full") && Catch::Contains("'second'"));
}

TEST_CASE("brain: sinks receive every line, from think and from tick", "[core][brain]") {
  Brain brain;
  std::vector<std::string> seen;
  brain.add_sink([&](const Output& output) { seen.push_back(output.skill + ": " + output.line); });
  brain.add(answering("two", {"x", "y"}));
  brain.think("go");
  brain.tick();
  CHECK(seen == std::vector<std::string>{"two: x", "two: y"});
}

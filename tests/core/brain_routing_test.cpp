#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::answering;
using requip::test::ScriptedSkill;

TEST_CASE("brain: without an aware skill, every skill hears the input", "[core][brain][routing]") {
  Brain brain;
  auto quiet = std::make_shared<ScriptedSkill>("quiet");
  brain.add(quiet);
  brain.add(answering("talker", {"hi"}));
  Reply reply = brain.converse("hello");
  CHECK(reply.lines == std::vector<std::string>{"hi"});
  CHECK(reply.skill == "talker");
  CHECK(quiet->heard == std::vector<std::string>{"hello"});
}

TEST_CASE("brain: an aware skill routes the input to one skill", "[core][brain][routing]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  router->on_perceive = [](Turn& turn) { turn.route_to("second"); };
  auto first = answering("first", {"from first"});
  brain.add(router);
  brain.add(first);
  brain.add(answering("second", {"from second"}));

  CHECK(brain.converse("x").lines == std::vector<std::string>{"from second"});
  CHECK(first->heard.empty());
}

TEST_CASE("brain: an aware skill's own answer consumes the input", "[core][brain][routing]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  router->on_perceive = [](Turn& turn) { turn.answer(Algorithm::say("noted")); };
  auto other = answering("other", {"never"});
  brain.add(router);
  brain.add(other);

  Reply reply = brain.converse("thanks");
  CHECK(reply.lines == std::vector<std::string>{"noted"});
  CHECK(reply.skill == "router");
  CHECK(other->heard.empty());
}

TEST_CASE("brain: routing to a skill that is not loaded is reported", "[core][brain][routing]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  router->on_perceive = [](Turn& turn) { turn.route_to("ghost"); };
  brain.add(router);
  Reply reply = brain.converse("x");
  CHECK_FALSE(reply.answered());
  REQUIRE(reply.notices.size() == 1);
  CHECK_THAT(reply.notices[0], Catch::Contains("'ghost', which is not loaded"));
}

TEST_CASE("brain: bad input is refused with a reason and no skill runs", "[core][brain][input]") {
  Brain brain;
  auto listener = answering("listener", {"heard"});
  brain.add(listener);
  CHECK_THAT(brain.converse("").error, Catch::Contains("empty"));
  CHECK_THAT(brain.converse(std::string(brain.options().max_input_bytes + 1, 'a')).error,
             Catch::Contains("too long"));
  CHECK_THAT(brain.converse("caf\xe9").error, Catch::Contains("not valid UTF-8"));
  CHECK(listener->heard.empty());
  CHECK(brain.converse("fine").lines == std::vector<std::string>{"heard"});
}

TEST_CASE("brain: the reply carries the emotion a skill set", "[core][brain][kokoro]") {
  Brain brain;
  auto cheerful = std::make_shared<ScriptedSkill>("cheerful");
  cheerful->on_input = [&](const Stimulus&) {
    cheerful->kokoro().set_emotion("happy");
    return Algorithm::say(":)");
  };
  brain.add(cheerful);
  CHECK(brain.converse("hi").emotion == "happy");
}

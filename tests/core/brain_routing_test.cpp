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
  router->on_perceive = [](Turn& turn) { turn.route_to({"second"}); };
  auto first = answering("first", {"from first"});
  brain.add(router);
  brain.add(first);
  brain.add(answering("second", {"from second"}));

  CHECK(brain.converse("x").lines == std::vector<std::string>{"from second"});
  CHECK(first->heard.empty());
}

TEST_CASE("brain: a routed skill that declines passes the input to the next in the router's order",
          "[core][brain][routing]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  std::string told_answered;
  std::vector<std::string> told_declined;
  router->on_perceive = [&](Turn& turn) {
    turn.route_to({"quiet", "second", "first"});
    turn.when_routed([&](const std::string& answered, const std::vector<std::string>& declined) {
      told_answered = answered;
      told_declined = declined;
    });
  };
  auto quiet = std::make_shared<ScriptedSkill>("quiet");
  auto first = answering("first", {"from first"});
  brain.add(router);
  brain.add(first);
  brain.add(quiet);
  brain.add(answering("second", {"from second"}));

  const Reply reply = brain.converse("x");
  CHECK(reply.lines == std::vector<std::string>{"from second"});
  CHECK(reply.skill == "second");
  CHECK(quiet->heard == std::vector<std::string>{"x"});
  CHECK(first->heard.empty());  // the order is the router's, not the order skills were added
  CHECK(told_answered == "second");
  CHECK(told_declined == std::vector<std::string>{"quiet"});
}

TEST_CASE("brain: when no routed skill answers, the router's otherwise does",
          "[core][brain][routing]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  bool told_none = false;
  router->on_perceive = [&](Turn& turn) {
    turn.route_to({"quiet"});
    turn.otherwise(Algorithm::say("nobody knows"));
    turn.when_routed([&](const std::string& answered, const std::vector<std::string>& declined) {
      told_none = answered.empty() && declined == std::vector<std::string>{"quiet"};
    });
  };
  brain.add(router);
  brain.add(std::make_shared<ScriptedSkill>("quiet"));

  const Reply reply = brain.converse("x");
  CHECK(reply.lines == std::vector<std::string>{"nobody knows"});
  CHECK(reply.skill == "router");
  CHECK(told_none);
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
  router->on_perceive = [](Turn& turn) { turn.route_to({"ghost"}); };
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

#include <catch2/catch.hpp>

#include "plugin_fixtures.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

using requip::Brain;
using requip::plugins::load_plugin;
using requip::test::fixture_plugin;

namespace {

std::string said(const requip::Reply& reply) {
  return reply.lines.empty() ? std::string() : reply.lines.front();
}

}  // namespace

TEST_CASE("plugin skill: a plugin is loaded, answers, and is unloaded", "[plugins][skill]") {
  Brain brain;
  {
    auto plugin = load_plugin(fixture_plugin("tally_v1"));
    brain.add(plugin.create());
  }
  CHECK(brain.skill("tally")->description() == "counts the turns it answered");
  CHECK(said(brain.think("tally")) == "1 1.0.0");
  CHECK(said(brain.think("tally")) == "2 1.0.0");
  brain.remove("tally");  // the last reference: the instance is destroyed, the library unloaded
  CHECK_FALSE(brain.has("tally"));
  CHECK_FALSE(brain.think("tally").answered());
}

TEST_CASE("plugin skill: a queued algorithm keeps its library loaded after the skill is gone",
          "[plugins][skill]") {
  Brain brain;
  brain.add(load_plugin(fixture_plugin("tally_v1")).create());
  CHECK(said(brain.think("count slowly")) == "one");
  brain.remove("tally");
  CHECK(said(brain.tick()) == "two");  // runs plugin code: still mapped
  CHECK(said(brain.tick()) == "three");
  CHECK_FALSE(brain.busy());
}

TEST_CASE("plugin skill: memory, emotion and the brain's skills reach the host",
          "[plugins][skill]") {
  Brain brain;
  auto plugin = load_plugin(fixture_plugin("tally_v1"));
  brain.add(plugin.create({3, [&brain] { return brain.skills(); }}));
  brain.add(load_plugin(fixture_plugin("no_op")).create());

  CHECK(said(brain.think("remember the milk")) == "noted");
  CHECK(brain.kokoro().memento().get("tally", "remembered") == "the milk");
  CHECK(brain.kokoro().emotion() == "attentive");
  CHECK(said(brain.think("recall")) == "the milk");
  CHECK(said(brain.think("skills")) == "tally no_op ");
}

TEST_CASE("plugin skill: a no-op plugin answers nothing and the brain keeps serving",
          "[plugins][skill]") {
  Brain brain;
  brain.add(load_plugin(fixture_plugin("no_op")).create());
  brain.add(load_plugin(fixture_plugin("tally_v1")).create());
  auto reply = brain.think("tally");
  CHECK(reply.skill == "tally");
  CHECK(reply.notices.empty());
}

TEST_CASE("plugin skill: a throwing plugin is contained, then quarantined after N failures",
          "[plugins][skill][quarantine]") {
  Brain brain;
  const auto file = fixture_plugin("input_throws");
  auto thrower = load_plugin(file).create({3, {}});
  brain.add(thrower);
  brain.add(load_plugin(fixture_plugin("tally_v1")).create());

  for (int turn = 1; turn <= 2; ++turn) {
    auto reply = brain.think("tally");
    CHECK(said(reply) == std::to_string(turn) + " 1.0.0");  // the agent keeps serving
    REQUIRE(reply.notices.size() == 1);
    CHECK_THAT(reply.notices[0], Catch::Contains("skill 'input_throws' failed in input") &&
                                     Catch::Contains("cannot handle 'tally'") &&
                                     Catch::Contains(file.string()));
    CHECK_FALSE(thrower->quarantined());
  }
  auto third = brain.think("tally");
  REQUIRE(third.notices.size() == 1);
  CHECK_THAT(third.notices[0], Catch::Contains("quarantined after 3 consecutive failures"));
  CHECK(thrower->quarantined());

  auto after = brain.think("tally");
  CHECK(after.notices.empty());  // no longer called
  CHECK(said(after) == "4 1.0.0");
}

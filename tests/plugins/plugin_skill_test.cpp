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
  CHECK(said(brain.converse("tally")) == "1 1.0.0");
  CHECK(said(brain.converse("tally")) == "2 1.0.0");
  brain.remove("tally");  // the last reference: the instance is destroyed, the library unloaded
  CHECK_FALSE(brain.has("tally"));
  CHECK_FALSE(brain.converse("tally").answered());
}

TEST_CASE("plugin skill: an algorithm keeps its library loaded after the skill is gone",
          "[plugins][skill]") {
  std::optional<requip::Algorithm> algorithm;
  {
    auto skill = load_plugin(fixture_plugin("tally_v1")).create();
    algorithm = skill->input(requip::Stimulus{"count slowly", {}, {}});
  }  // the last skill and plugin handles are gone
  REQUIRE(algorithm);
  CHECK(algorithm->advance().line == "one");  // runs plugin code: still mapped
  CHECK(algorithm->advance().line == "two");
  CHECK(algorithm->advance().line == "three");
  CHECK(algorithm->finished());
}

TEST_CASE("plugin skill: memory, emotion and the brain's skills reach the host",
          "[plugins][skill]") {
  Brain brain;
  auto plugin = load_plugin(fixture_plugin("tally_v1"));
  brain.add(plugin.create({3, [&brain] { return brain.skills(); }, nullptr}));
  brain.add(load_plugin(fixture_plugin("no_op")).create());

  CHECK(said(brain.converse("remember the milk")) == "noted");
  // Kept under the conversation's user: another user's tally never sees it.
  CHECK(brain.kokoro().memento().get("users/local/tally", "remembered") == "the milk");
  CHECK(brain.kokoro().emotion() == "attentive");
  CHECK(said(brain.converse("recall")) == "the milk");
  CHECK(said(brain.converse("skills")) == "tally no_op ");
}

TEST_CASE("plugin skill: a no-op plugin answers nothing and the brain keeps serving",
          "[plugins][skill]") {
  Brain brain;
  brain.add(load_plugin(fixture_plugin("no_op")).create());
  brain.add(load_plugin(fixture_plugin("tally_v1")).create());
  auto reply = brain.converse("tally");
  CHECK(reply.skill == "tally");
  CHECK(reply.notices.empty());
}

TEST_CASE("plugin skill: a throwing plugin is contained, then quarantined after N failures",
          "[plugins][skill][quarantine]") {
  Brain brain;
  const auto file = fixture_plugin("input_throws");
  auto thrower = load_plugin(file).create({3, {}, nullptr});
  brain.add(thrower);
  brain.add(load_plugin(fixture_plugin("tally_v1")).create());

  for (int turn = 1; turn <= 2; ++turn) {
    auto reply = brain.converse("tally");
    CHECK(said(reply) == std::to_string(turn) + " 1.0.0");  // the agent keeps serving
    REQUIRE(reply.notices.size() == 1);
    CHECK_THAT(reply.notices[0], Catch::Contains("skill 'input_throws' failed in input") &&
                                     Catch::Contains("cannot handle 'tally'") &&
                                     Catch::Contains(file.string()));
    CHECK_FALSE(thrower->quarantined());
  }
  auto third = brain.converse("tally");
  REQUIRE(third.notices.size() == 1);
  CHECK_THAT(third.notices[0], Catch::Contains("quarantined after 3 consecutive failures"));
  CHECK(thrower->quarantined());

  auto after = brain.converse("tally");
  CHECK(after.notices.empty());  // no longer called
  CHECK(said(after) == "4 1.0.0");
}

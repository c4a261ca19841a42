#include <catch2/catch.hpp>

#include <stdexcept>
#include "plugin_fixtures.hpp"

#include "requip/core/brain.hpp"
#include "requip/core/in_memory_memento.hpp"
#include "requip/core/unavailable.hpp"
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
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  {
    auto plugin = load_plugin(fixture_plugin("tally_v1"), isolation);
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
  REQUIP_EACH_ISOLATION(isolation);
  std::optional<requip::Algorithm> algorithm;
  {
    auto skill = load_plugin(fixture_plugin("tally_v1"), isolation).create();
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
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  auto plugin = load_plugin(fixture_plugin("tally_v1"), isolation);
  brain.add(plugin.create({3, [&brain] { return brain.skills(); }, nullptr}));
  brain.add(load_plugin(fixture_plugin("no_op"), isolation).create());

  CHECK(said(brain.converse("remember the milk")) == "noted");
  // Kept under the conversation's user: another user's tally never sees it.
  CHECK(brain.kokoro().memento().get("users/local/tally", "remembered") == "the milk");
  CHECK(brain.kokoro().emotion() == "attentive");
  CHECK(said(brain.converse("recall")) == "the milk");
  CHECK(said(brain.converse("skills")) == "tally no_op ");
}

TEST_CASE("plugin skill: a no-op plugin answers nothing and the brain keeps serving",
          "[plugins][skill]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(load_plugin(fixture_plugin("no_op"), isolation).create());
  brain.add(load_plugin(fixture_plugin("tally_v1"), isolation).create());
  auto reply = brain.converse("tally");
  CHECK(reply.skill == "tally");
  CHECK(reply.notices.empty());
}

TEST_CASE("plugin skill: a throwing plugin is contained, then quarantined after N failures",
          "[plugins][skill][quarantine]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  const auto file = fixture_plugin("input_throws");
  auto thrower = load_plugin(file, isolation).create({3, {}, nullptr});
  brain.add(thrower);
  brain.add(load_plugin(fixture_plugin("tally_v1"), isolation).create());

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

namespace {

// A memento whose database server is gone, until it comes back.
class UnreachableMemento final : public requip::Memento {
 public:
  struct Gone : std::runtime_error, requip::Unavailable {
    Gone() : std::runtime_error("the database server is gone; try again") {}
    const char* reason() const noexcept override { return what(); }
  };
  bool reachable = false;

  std::optional<std::string> get(std::string_view space, std::string_view key) const override {
    check();
    return kept_.get(space, key);
  }
  void put(std::string_view space, std::string_view key, std::string_view value) override {
    check();
    kept_.put(space, key, value);
  }
  bool erase(std::string_view space, std::string_view key) override {
    check();
    return kept_.erase(space, key);
  }
  std::vector<std::string> keys(std::string_view space) const override {
    check();
    return kept_.keys(space);
  }

 private:
  void check() const {
    if (!reachable) throw Gone();
  }
  requip::InMemoryMemento kept_;
};

}  // namespace

TEST_CASE(
    "plugin skill: memory that is unavailable makes the turn unavailable, not the plugin "
    "faulty",
    "[plugins][skill][quarantine]") {
  REQUIP_EACH_ISOLATION(isolation);
  auto memento = std::make_shared<UnreachableMemento>();
  Brain brain(memento);
  auto tally = load_plugin(fixture_plugin("tally_v1"), isolation).create({1, {}, nullptr});
  brain.add(tally);
  for (int turn = 0; turn < 3; ++turn) {
    auto reply = brain.converse("remember the milk");
    CHECK(reply.unavailable == "the database server is gone; try again");
    CHECK(reply.notices.empty());
  }
  CHECK_FALSE(tally->quarantined());
  CHECK(tally->consecutive_failures() == 0);

  memento->reachable = true;
  CHECK(said(brain.converse("remember the milk")) == "noted");
  CHECK(said(brain.converse("recall")) == "the milk");
}

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "plugin_fixtures.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

using requip::Brain;
using requip::plugins::load_plugin;
using requip::test::fixture_plugin;
using Lines = std::vector<std::string>;

TEST_CASE("plugin ABI: a plugin built against 1.0, with the 1.0 descriptor, loads and answers",
          "[plugins][abi][follow-up]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto plugin = load_plugin(fixture_plugin("abi_1_0"), isolation);
  CHECK(plugin.info().abi_major == 1);
  CHECK(plugin.info().abi_minor == 0);
  CHECK(plugin.descriptor().struct_size == REQUIP_PLUGIN_DESCRIPTOR_SIZE_1_0);
  CHECK(plugin.descriptor().struct_size < sizeof(requip_plugin_descriptor));
  CHECK(plugin.descriptor().on_follow_up == nullptr);  // never read past its own size

  Brain brain;
  brain.add(plugin.create());
  CHECK(brain.converse("ping").lines == Lines{"pong from ABI 1.0"});
}

TEST_CASE(
    "plugin ABI: a plugin built against this minor asks a follow-up and gets the next "
    "input first",
    "[plugins][abi][follow-up]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto plugin = load_plugin(fixture_plugin("asks"), isolation);
  CHECK(plugin.info().abi_minor == REQUIP_PLUGIN_ABI_MINOR);
  Brain brain;
  brain.add(plugin.create());
  brain.add(load_plugin(fixture_plugin("abi_1_0"), isolation).create());

  SECTION("its answer goes to it, not to the skill that would otherwise take it") {
    CHECK(brain.converse("ask me").lines == Lines{"What is your name?"});
    CHECK(brain.converse("ping").lines == Lines{"Hello, ping."});
    CHECK(brain.converse("ping").lines == Lines{"pong from ABI 1.0"});  // asked once
  }
  SECTION("an answer it declines goes to the other skills as usual") {
    brain.converse("ask me");
    CHECK_FALSE(brain.converse("no thank you").answered());
    CHECK(brain.converse("ping").lines == Lines{"pong from ABI 1.0"});
  }
  SECTION("the timeout it gives crosses the boundary") {
    brain.converse("ask me briefly");
    REQUIRE(brain.kokoro().follow_up());
    CHECK(brain.kokoro().follow_up()->skill == "asker");
    CHECK(brain.kokoro().follow_up()->timeout == std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    CHECK(brain.converse("ping").lines == Lines{"pong from ABI 1.0"});
  }
}

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "plugin_fixtures.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/plugin_host.hpp"
#include "temp_dir.hpp"

using namespace std::chrono_literals;
using requip::Brain;
using requip::plugins::PluginHost;
using requip::test::fixture_plugin;
using requip::test::install_by_rename;

namespace {

std::string said(const requip::Reply& reply) {
  return reply.lines.empty() ? std::string() : reply.lines.front();
}

// Applies the watcher's changes between "turns" until done() holds or 5 s pass; returns
// every report line.
template <typename Done>
std::vector<std::string> settle(PluginHost& host, Done&& done) {
  std::vector<std::string> report;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    for (auto& line : host.apply_pending())
      report.push_back(std::move(line));
    std::this_thread::sleep_for(5ms);
  }
  return report;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& line : lines)
    all += line + "\n";
  return all;
}

}  // namespace

TEST_CASE("plugin host: a rescan loads every library and reports the refused ones",
          "[plugins][host]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  std::ofstream(folder / "garbage.so") << "not a library";
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}, false});

  const auto report = host.rescan();
  CHECK(said(brain.converse("tally")) == "1 1.0.0");  // the agent keeps serving
  CHECK_THAT(joined(report), Catch::Contains((folder / "garbage.so").string()) &&
                                 Catch::Contains("is not a loadable shared library"));
  const auto status = host.status();
  REQUIRE(status.size() == 2);
  CHECK(status[0].problem.empty() == false);  // garbage.so sorts first
  REQUIRE(status[1].info);
  CHECK(status[1].info->name == "tally");
}

TEST_CASE("plugin host: a library dropped into the folder is loaded live", "[plugins][host]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}});
  host.rescan();
  CHECK_FALSE(brain.has("tally"));

  SECTION("installed by rename") {
    install_by_rename(fixture_plugin("tally_v1"), folder / "t.so");
  }
  SECTION("written in place") {
    std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "t.so");
  }
  const auto report = settle(host, [&] { return brain.has("tally"); });
  CHECK(said(brain.converse("tally")) == "1 1.0.0");
  CHECK_THAT(joined(report), Catch::Contains("loaded skill 'tally' 1.0.0"));
}

TEST_CASE("plugin host: a replaced library swaps in with the state handed over",
          "[plugins][host]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}});
  host.rescan();
  brain.converse("tally");
  brain.converse("tally");

  install_by_rename(fixture_plugin("tally_v2"), folder / "tally.so");
  settle(host, [&] { return brain.skill("tally")->version() == "2.0.0"; });
  CHECK(said(brain.converse("tally")) == "3 2.0.0");
}

TEST_CASE("plugin host: an invalid library keeps the previous version serving", "[plugins][host]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}});
  host.rescan();
  CHECK(said(brain.converse("tally")) == "1 1.0.0");

  SECTION("garbage") {
    std::ofstream(folder / "tally.so.partial") << "garbage";
    std::filesystem::rename(folder / "tally.so.partial", folder / "tally.so");
  }
  SECTION("wrong ABI") {
    install_by_rename(fixture_plugin("abi_major_mismatch"), folder / "tally.so");
  }
  settle(host, [&] {
    auto status = host.status();
    return !status.empty() && !status[0].problem.empty();
  });
  const auto status = host.status();
  REQUIRE(status.size() == 1);
  CHECK_THAT(status[0].problem, Catch::Contains((folder / "tally.so").string()));
  CHECK(said(brain.converse("tally")) == "2 1.0.0");
}

TEST_CASE("plugin host: deleting the library unloads the skill", "[plugins][host]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}});
  host.rescan();
  REQUIRE(brain.has("tally"));

  std::filesystem::remove(folder / "tally.so");
  const auto report = settle(host, [&] { return !brain.has("tally"); });
  CHECK_FALSE(brain.has("tally"));
  CHECK_THAT(joined(report), Catch::Contains("unloaded skill 'tally'"));
  CHECK(host.status().empty());
}

TEST_CASE("plugin host: live replace under load loses no turn and keeps the state",
          "[plugins][host][reload]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  auto agent = std::make_shared<requip::Agent>();
  Brain brain(agent, "local");
  PluginHost host(*agent, {{{folder.path(), isolation}}});
  host.rescan();

  // The turn thread owns the brain: it applies swaps between turns, as the REPL does.
  std::vector<requip::Reply> replies;
  std::atomic<bool> new_version_seen{false}, stop{false};
  std::chrono::steady_clock::time_point first_new_answer;
  std::thread turns([&] {
    while (!stop) {
      host.apply_pending();
      replies.push_back(brain.converse("tally"));
      if (!new_version_seen && said(replies.back()).ends_with("2.0.0")) {
        first_new_answer = std::chrono::steady_clock::now();
        new_version_seen = true;
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  std::this_thread::sleep_for(100ms);
  const auto replaced_at = std::chrono::steady_clock::now();
  install_by_rename(fixture_plugin("tally_v2"), folder / "tally.so");
  const auto deadline = replaced_at + 3s;
  while (!new_version_seen && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(50ms);  // a few turns on the new version
  stop = true;
  turns.join();

  REQUIRE(new_version_seen);
  CHECK(first_new_answer - replaced_at < 1s);
  for (std::size_t turn = 0; turn < replies.size(); ++turn) {
    INFO("turn " << turn + 1 << ": " << said(replies[turn]));
    CHECK(replies[turn].notices.empty());  // no turn failed
    // Every turn answered, and the count never restarted: the state was handed over.
    CHECK(said(replies[turn]).starts_with(std::to_string(turn + 1) + " "));
  }
}

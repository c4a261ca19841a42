#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <thread>

#include "plugin_fixtures.hpp"
#include "requip/core/brain.hpp"
#include "requip/core/log.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "requip/plugins/plugin_host.hpp"
#include "requip/plugins/plugin_skill.hpp"
#include "temp_dir.hpp"

// What running a plugin out of process buys: native code that crashes, hangs, exits, eats
// memory or prints costs the turn that met it, never the agent or another conversation.

using namespace std::chrono_literals;
using requip::plugins::Isolation;
using requip::plugins::load_plugin;
using requip::test::fixture_plugin;
using Lines = std::vector<std::string>;

namespace {

std::string all_of(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& line : lines)
    all += line + "\n";
  return all;
}

// One agent with `plugin` out of process and tally in process, and two conversations on it.
struct SharedAgent {
  explicit SharedAgent(const std::string& plugin, requip::plugins::ProcessLimits limits = {}) {
    agent->add(load_plugin(fixture_plugin(plugin), Isolation::process, limits).factory({}));
    agent->add(load_plugin(fixture_plugin("tally_v1")).factory({}));
  }
  std::shared_ptr<requip::Agent> agent = std::make_shared<requip::Agent>();
  requip::Brain alice{agent, "alice"};
  requip::Brain bob{agent, "bob"};
};

// The library's log lines, kept while it lives.
class KeptLog {
 public:
  KeptLog() {
    requip::set_log_sink([this](requip::LogLevel, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_ += std::string(line) + "\n";
    });
  }
  ~KeptLog() { requip::set_log_sink({}); }
  // Waits up to 5 s for a line holding `text`.
  bool shows(const std::string& text) const {
    for (auto give_up = std::chrono::steady_clock::now() + 5s;
         std::chrono::steady_clock::now() < give_up; std::this_thread::sleep_for(5ms)) {
      std::lock_guard lock(mutex_);
      if (lines_.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::string lines_;
};

}  // namespace

TEST_CASE(
    "out of process: a plugin that segfaults costs its turn: other conversations answer, and "
    "the next call runs on a restarted host",
    "[plugins][isolation]") {
  SharedAgent shared("misbehaves");
  CHECK(shared.alice.converse("count").lines == Lines{"counted 1"});
  CHECK(shared.alice.converse("count").lines == Lines{"counted 2"});

  const auto crashed = shared.alice.converse("crash");
  CHECK_FALSE(crashed.answered());
  CHECK_THAT(all_of(crashed.notices), Catch::Contains("skill 'misbehaves' failed in input") &&
                                          Catch::Contains("crashed with SIGSEGV") &&
                                          Catch::Contains(fixture_plugin("misbehaves").string()));
  CHECK(shared.bob.converse("tally").lines == Lines{"1 1.0.0"});

  const auto after = shared.alice.converse("count");
  CHECK(after.lines == Lines{"counted 1"});  // a new instance in a new host
  CHECK_THAT(all_of(after.notices),
             Catch::Contains("'misbehaves' was restarted after its host process crashed with "
                             "SIGSEGV: what it held in memory for this conversation is lost"));
  const auto next = shared.alice.converse("count");
  CHECK(next.lines == Lines{"counted 2"});
  CHECK(next.notices.empty());
}

TEST_CASE("out of process: the state handed over at the last live swap survives a crash",
          "[plugins][isolation][reload]") {
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("misbehaves"), folder / "misbehaves.so");
  auto agent = std::make_shared<requip::Agent>();
  requip::plugins::PluginHost host(*agent, {{{folder.path(), Isolation::process}}, false});
  host.rescan();
  requip::Brain alice(agent, "alice");
  alice.converse("count");
  alice.converse("count");

  requip::test::install_by_rename(fixture_plugin("misbehaves"), folder / "misbehaves.so");
  host.rescan();  // a new host; alice's instance moves to it at her next turn, with 2
  CHECK(alice.converse("count").lines == Lines{"counted 3"});
  alice.converse("crash");
  const auto after = alice.converse("count");
  CHECK(after.lines == Lines{"counted 3"});  // 2 as handed over, not the 3 held in memory
  CHECK_THAT(all_of(after.notices), Catch::Contains("what it held in memory"));
}

TEST_CASE("out of process: after three crashes within a minute the plugin is quarantined",
          "[plugins][isolation][quarantine]") {
  SharedAgent shared("misbehaves");
  shared.alice.converse("crash");
  shared.bob.converse("abort");
  const auto third = shared.alice.converse("crash");
  CHECK_THAT(all_of(third.notices), Catch::Contains("ended 3 times within 60 s") &&
                                        Catch::Contains("quarantined until a new file"));
  CHECK(std::dynamic_pointer_cast<requip::plugins::PluginSkill>(shared.alice.skill("misbehaves"))
            ->quarantined());

  requip::Brain carol(shared.agent, "carol");  // a new conversation does not wake it
  const auto later = carol.converse("count");
  CHECK_FALSE(later.answered());
  CHECK(later.notices.empty());
  CHECK(carol.converse("tally").lines == Lines{"1 1.0.0"});
}

TEST_CASE("out of process: a plugin that aborts while making an instance is refused, not fatal",
          "[plugins][isolation]") {
  // The SDK makes one instance to describe the skill: the abort comes while loading.
  const auto file = fixture_plugin("aborts_in_create");
  try {
    load_plugin(file, Isolation::process);
    FAIL("the plugin was loaded");
  } catch (const requip::plugins::PluginError& error) {
    CHECK_THAT(error.what(), Catch::Contains(file.string()) &&
                                 Catch::Contains("crashed with SIGABRT while loading it"));
  }

  requip::test::TempDir folder;
  std::filesystem::copy_file(file, folder / "aborts.so");
  std::filesystem::copy_file(fixture_plugin("tally_v1"), folder / "tally.so");
  auto agent = std::make_shared<requip::Agent>();
  requip::plugins::PluginHost host(*agent, {{{folder.path(), Isolation::process}}, false});
  CHECK_THAT(all_of(host.rescan()), Catch::Contains("crashed with SIGABRT"));
  CHECK_FALSE(agent->catalog()->find("misbehaves"));
  requip::Brain brain(agent, "alice");
  CHECK(brain.converse("tally").lines == Lines{"1 1.0.0"});
}

TEST_CASE("out of process: a plugin that writes into the protocol ends its host, not the agent",
          "[plugins][isolation]") {
  // Bytes that are no frame at all, and a well-framed callback whose timeout is not a count.
  const auto [input, reason] = GENERATE(table<std::string, std::string>(
      {{"scribble", "wrote something other than the protocol on its channel"},
       {"forge", "a callback could not be answered (timeout_ms is not a count"}}));
  INFO(input);
  SharedAgent shared("misbehaves");
  const auto reply = shared.alice.converse(input);
  CHECK_FALSE(reply.answered());
  CHECK_THAT(all_of(reply.notices), Catch::Contains(reason));
  CHECK(shared.alice.converse("count").lines == Lines{"counted 1"});
}

TEST_CASE("out of process: a plugin that exits when attached costs turns, not the agent",
          "[plugins][isolation]") {
  SharedAgent shared("exits_on_attach");
  const auto reply = shared.alice.converse("count");
  CHECK_FALSE(reply.answered());
  CHECK_THAT(all_of(reply.notices), Catch::Contains("exited with status 3"));
  CHECK(shared.bob.converse("tally").lines == Lines{"1 1.0.0"});
}

TEST_CASE(
    "out of process: a call that outlives its turn's deadline ends with its host, and the "
    "plugin serves again",
    "[plugins][isolation][deadline]") {
  SharedAgent shared("misbehaves");
  shared.agent->add(load_plugin(fixture_plugin("hangs"), Isolation::process).factory({}));
  requip::Reply stuck;
  std::thread alice([&] { stuck = shared.alice.converse("hang"); });
  std::this_thread::sleep_for(200ms);
  CHECK(shared.bob.converse("tally").lines == Lines{"1 1.0.0"});
  // What a server's watchdog does at the deadline.
  shared.agent->catalog()->find("hangs")->report_failure("the turn did not finish within 200 ms");
  alice.join();
  CHECK_THAT(all_of(stuck.notices),
             Catch::Contains("was killed: a call into it outlived its turn's deadline"));
  const auto next = shared.alice.converse("count");
  CHECK(next.lines == Lines{"counted 1"});
  CHECK_THAT(all_of(next.notices), Catch::Contains("'hangs' was restarted"));
}

// The sanitizers reserve terabytes of address space up front, so a sanitized host runs with
// no address-space limit: there this plugin would eat the machine.
#ifndef REQUIP_SANITIZE
TEST_CASE("out of process: a plugin that allocates without bound ends at its memory limit",
          "[plugins][isolation]") {
  SharedAgent shared("misbehaves", {std::uint64_t{256} << 20});
  const auto reply = shared.alice.converse("eat");
  CHECK_THAT(all_of(reply.notices),
             Catch::Contains("ran out of memory at its limit of 256 MiB (raise it with "
                             "--plugin-memory)"));
  CHECK(shared.bob.converse("tally").lines == Lines{"1 1.0.0"});
  CHECK(shared.alice.converse("count").lines == Lines{"counted 1"});
}
#endif

TEST_CASE("out of process: what a plugin prints goes to the log under its name",
          "[plugins][isolation][log]") {
  KeptLog log;
  SharedAgent shared("misbehaves");
  CHECK(shared.alice.converse("print").lines == Lines{"printed"});
  CHECK(log.shows("plugin misbehaves.so: a line on stdout"));
  CHECK(log.shows("plugin misbehaves.so: a line on stderr"));
  CHECK(shared.alice.converse("count").lines == Lines{"counted 1"});  // the protocol is intact
}

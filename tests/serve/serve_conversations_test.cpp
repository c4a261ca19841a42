#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"
#include "temp_dir.hpp"

using namespace std::chrono_literals;
using requip::test::post_json;
using requip::test::WebSocketClient;

namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json turn(std::uint16_t port, const std::string& session, const std::string& text) {
  auto answer = post_json(port, "/v1/sessions/" + session + "/messages", {{"text", text}});
  REQUIRE(answer.status == 200);
  return answer.json();
}

std::string replies_of(const nlohmann::json& reply) {
  std::string all;
  for (const auto& line : reply["replies"])
    all += line.get<std::string>() + "\n";
  return all;
}

std::filesystem::path test_plugin(const std::string& name) {
  return std::filesystem::path(REQUIP_TEST_PLUGIN_DIR) / (name + ".so");
}

void install_by_rename(const std::filesystem::path& library, const std::filesystem::path& target) {
  const auto staging = target.string() + ".partial";
  std::filesystem::copy_file(library, staging, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(staging, target);
}

}  // namespace

TEST_CASE("serve: two users on one server never see each other's notes, reminders or emotion",
          "[serve][e2e][conversations]") {
  requip::test::TempDir kept;
  const auto database = kept / "requip.db";
  {
    requip::test::ServeProcess server({"--no-router"}, database);
    const auto port = server.port();

    SECTION("alice's note is listed for alice, not for bob") {
      turn(port, "alice", "take a note my bank pin is 4321");
      CHECK_THAT(replies_of(turn(port, "bob", "list my notes")), !Catch::Contains("4321"));
      CHECK_THAT(replies_of(turn(port, "alice", "list my notes")), Catch::Contains("4321"));
    }
    SECTION("alice's reminder reaches alice's stream only") {
      WebSocketClient alice(port, "/v1/sessions/alice/stream");
      WebSocketClient bob(port, "/v1/sessions/bob/stream");
      turn(port, "alice", "remind me in 1 second to stretch");
      CHECK(alice.receive()["type"] == "turn");
      auto reminder = alice.receive();
      CHECK(reminder["type"] == "reminder");
      CHECK_THAT(reminder["replies"][0].get<std::string>(), Catch::Contains("stretch"));
      // Bob's stream holds nothing but what bob says from here on.
      turn(port, "bob", "say marker");
      auto first = bob.receive();
      CHECK(first["type"] == "turn");
      CHECK(first["text"] == "say marker");
    }
    SECTION("alice's emotion never appears in bob's replies") {
      CHECK(turn(port, "alice", "hello").at("emotion") == "happy");
      CHECK(turn(port, "bob", "say hi").at("emotion") == "");
      CHECK(turn(port, "bob", "hello").at("emotion") == "happy");  // his own greeting
    }
  }
  // A restart on the same database: the note is still alice's, and still not bob's.
  requip::test::ServeProcess restarted({"--no-router"}, database);
  const auto port = restarted.port();
  turn(port, "alice", "take a note water the plants");
  CHECK_THAT(replies_of(turn(port, "alice", "list my notes")), Catch::Contains("water the plants"));
  CHECK_THAT(replies_of(turn(port, "bob", "list my notes")), !Catch::Contains("plants"));
}

TEST_CASE("serve: a turn stuck in a plugin times out alone, and SIGTERM still stops the server",
          "[serve][e2e][conversations][deadline]") {
  const std::string isolation = GENERATE("process", "inprocess");
  INFO("--isolation " << isolation);
  requip::test::TempDir plugins;
  std::filesystem::copy_file(test_plugin("hangs"), plugins / "hangs.so");
  requip::test::ServeProcess server({"--no-router", "--plugins", plugins.path().string(),
                                     "--turn-timeout", "3", "--isolation", isolation});
  const auto port = server.port();

  requip::test::HttpAnswer stuck;
  std::thread alice([&] {
    stuck = post_json(port, "/v1/sessions/alice/messages", {{"text", "hang"}});
  });
  std::this_thread::sleep_for(300ms);  // alice's turn is inside the plugin now
  for (int i = 0; i < 3; ++i) {
    const auto asked = Clock::now();
    CHECK(replies_of(turn(port, "bob", "say still here")) == "still here\n");
    CHECK(Clock::now() - asked < 1s);
  }
  alice.join();
  CHECK(stuck.status == 504);
  CHECK_THAT(stuck.json()["error"]["message"].get<std::string>(),
             Catch::Contains("'hangs'") && Catch::Contains("did not finish"));

  const auto stopping = Clock::now();
  const int exit_code = server.terminate();
  CHECK(Clock::now() - stopping < 5s);
  if (isolation == "inprocess") {
    CHECK(exit_code != 0);  // it left a thread stuck in a skill behind, and says so
  } else {
    CHECK(exit_code == 0);  // the host was killed at the deadline: nothing was left stuck
  }
}

TEST_CASE(
    "serve: a plugin that segfaults, run out of process, costs one turn: the server stays up "
    "and the next call works",
    "[serve][e2e][conversations][isolation]") {
  requip::test::TempDir plugins;
  std::filesystem::copy_file(test_plugin("misbehaves"), plugins / "misbehaves.so");
  requip::test::ServeProcess server({"--no-router", "--plugins", plugins.path().string()});
  const auto port = server.port();

  CHECK(replies_of(turn(port, "alice", "count")) == "counted 1\n");
  const auto crashed = turn(port, "alice", "crash");
  CHECK_THAT(crashed.dump(),
             Catch::Contains("crashed with SIGSEGV") && Catch::Contains("misbehaves.so"));
  CHECK(replies_of(turn(port, "bob", "say still here")) == "still here\n");
  const auto after = turn(port, "alice", "count");
  CHECK(replies_of(after) == "counted 1\n");
  CHECK_THAT(after.dump(), Catch::Contains("what it held in memory for this conversation is lost"));
  CHECK(server.terminate() == 0);
}

TEST_CASE(
    "serve: a plugin replaced while 32 conversations talk loses no turn and keeps each one's state",
    "[serve][e2e][conversations][reload]") {
  const std::string isolation = GENERATE("process", "inprocess");
  INFO("--isolation " << isolation);
  requip::test::TempDir plugins;
  std::filesystem::copy_file(test_plugin("tally_v1"), plugins / "tally.so");
  requip::test::ServeProcess server(
      {"--no-router", "--plugins", plugins.path().string(), "--isolation", isolation});
  const auto port = server.port();

  constexpr int conversations = 32;
  std::atomic<bool> replaced{false};
  std::vector<std::vector<std::string>> tallies(conversations);
  std::vector<int> failures(conversations, 0);
  std::vector<std::thread> talkers;
  const std::regex tally_line(R"((\d+) ([12])\.0\.0)");
  for (int c = 0; c < conversations; ++c) {
    talkers.emplace_back([&, c] {
      const auto give_up = Clock::now() + 20s;
      int after_replacement = 0;
      while (after_replacement < 3 && Clock::now() < give_up) {
        auto answer = post_json(port, "/v1/sessions/c" + std::to_string(c) + "/messages",
                                {{"text", "tally"}});
        if (answer.status != 200) {
          ++failures[c];
          continue;
        }
        const auto reply = answer.json();  // kept: the loop below reads into it
        for (const auto& line : reply["replies"]) {
          if (std::regex_match(line.get<std::string>(), tally_line)) tallies[c].push_back(line);
        }
        if (replaced && !tallies[c].empty() && tallies[c].back().ends_with("2.0.0")) {
          ++after_replacement;
        }
      }
    });
  }
  std::this_thread::sleep_for(500ms);
  install_by_rename(test_plugin("tally_v2"), plugins / "tally.so");
  replaced = true;
  for (auto& talker : talkers)
    talker.join();

  for (int c = 0; c < conversations; ++c) {
    INFO("conversation c" << c);
    CHECK(failures[c] == 0);
    REQUIRE_FALSE(tallies[c].empty());
    CHECK(tallies[c].back().ends_with("2.0.0"));
    // Every turn was answered, and each conversation's own count went on across the swap.
    for (std::size_t turn = 0; turn < tallies[c].size(); ++turn)
      CHECK(tallies[c][turn].starts_with(std::to_string(turn + 1) + " "));
  }
}

#include <catch2/catch.hpp>

#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::say;

TEST_CASE("serve: a turn answers with replies, skill, emotion and why", "[serve][e2e]") {
  requip::test::ServeProcess server;
  auto turn = say(server.port(), "one", "calculate 6 * 7");
  CHECK(turn["replies"] == nlohmann::json::array({"42"}));
  CHECK(turn["skill"] == "calculator");
  CHECK(turn.contains("emotion"));
  CHECK(turn["why"]["skill"] == "calculator");
  CHECK(turn["why"]["source"] == "gate");
}

TEST_CASE("serve: two sessions do not share feedback", "[serve][e2e][router]") {
  requip::test::ServeProcess server;
  const auto port = server.port();
  const std::string request = "please what time is it";
  const std::string first = say(port, "alice", request)["why"]["skill"];
  REQUIRE(say(port, "bob", request)["why"]["skill"] == first);

  // Alice rejects the skill: her session re-equips another...
  auto requipped = say(port, "alice", "wrong");
  const std::string second = requipped["why"]["skill"];
  CHECK(second != first);
  CHECK(requipped["replies"][0] == second + " equipped.");
  // The equipped skill is asked first; it has nothing to say to this, and the others are
  // asked in turn.
  const auto equipped = say(port, "alice", "what time is it")["why"];
  CHECK(equipped["source"] == "equipped");
  REQUIRE(!equipped["declined"].empty());
  CHECK(equipped["declined"][0] == second);

  // ...while Bob's session keeps its skill, and his thanks credit the skill that answered him.
  CHECK(say(port, "bob", "what time is it")["why"]["skill"] == first);
  CHECK_THAT(say(port, "bob", "thanks")["replies"][0].get<std::string>(),
             Catch::StartsWith("Thanks! " + first + " it is"));
  // A session that said nothing has nothing to give feedback on: its thanks is small talk.
  CHECK(say(port, "carol", "thanks")["replies"][0] == "You're welcome!");
  CHECK_THAT(say(port, "dave", "wrong")["replies"][0].get<std::string>(),
             Catch::Contains("Nothing has answered yet"));
}

TEST_CASE("serve: an idle session expires and starts over", "[serve][e2e][router]") {
  requip::test::ServeProcess server({"--idle-expiry", "1"});
  const auto port = server.port();
  say(port, "erin", "please what time is it");
  CHECK_THAT(say(port, "erin", "thanks")["replies"][0].get<std::string>(),
             Catch::StartsWith("Thanks!"));
  say(port, "erin", "please what time is it");
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  CHECK_THAT(say(port, "erin", "wrong")["replies"][0].get<std::string>(),
             Catch::Contains("Nothing has answered yet"));
}

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::say;

namespace {

nlohmann::json lines(std::initializer_list<const char*> texts) {
  auto array = nlohmann::json::array();
  for (const char* text : texts)
    array.push_back(text);
  return array;
}
}  // namespace

TEST_CASE("serve: a skill's question is answered only by its own session's next input",
          "[serve][e2e][follow-up]") {
  requip::test::ServeProcess server;
  const auto port = server.port();
  CHECK(say(port, "alice", "take a note")["replies"] == lines({"What should the note say?"}));

  // Bob's input meanwhile is routed as usual: his "list my notes" lists his (none).
  const auto bob = say(port, "bob", "list my notes");
  CHECK(bob["replies"] == lines({"You have no notes."}));
  CHECK(bob["why"]["source"] != "follow-up");
  CHECK(bob["why"]["follow_up"].is_null());

  const auto alice = say(port, "alice", "buy milk");
  CHECK(alice["replies"] == lines({"Noted (1 in total)."}));
  CHECK(alice["skill"] == "notes");
  CHECK(alice["why"]["source"] == "follow-up");
  CHECK(alice["why"]["follow_up"] == "notes");
  CHECK(say(port, "alice", "list my notes")["replies"] ==
        lines({"You have 1 note:", "1. buy milk"}));
  CHECK(say(port, "bob", "list my notes")["replies"] == lines({"You have no notes."}));
}

TEST_CASE(
    "serve: after --follow-up-timeout the question lapses and the next input routes as "
    "usual",
    "[serve][e2e][follow-up]") {
  requip::test::ServeProcess server({"--follow-up-timeout", "0.3"});
  const auto port = server.port();
  say(port, "carol", "take a note");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // Still waiting, the question would have taken this as the note.
  const auto turn = say(port, "carol", "list my notes");
  CHECK(turn["replies"] == lines({"You have no notes."}));
  CHECK(turn["why"]["source"] != "follow-up");
}

TEST_CASE("serve: the clock declines an answer that is not a duration and another skill answers",
          "[serve][e2e][follow-up]") {
  requip::test::ServeProcess server;
  const auto port = server.port();
  CHECK(say(port, "dave", "set a timer")["replies"] == lines({"For how long?"}));
  const auto turn = say(port, "dave", "calculate 6 * 7");
  CHECK(turn["replies"] == lines({"42"}));
  CHECK(turn["skill"] == "calculator");
  CHECK(turn["why"]["follow_up"] == "clock");
  CHECK(turn["why"]["source"] != "follow-up");
}

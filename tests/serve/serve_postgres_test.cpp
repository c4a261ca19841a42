#include <catch2/catch.hpp>

#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"
#include "store_location.hpp"

using requip::test::Backend;
using requip::test::postgres_available;
using requip::test::say;
using requip::test::ServeProcess;
using requip::test::StoreLocation;

namespace {

std::string replies_of(const nlohmann::json& turn) {
  std::string text;
  for (const auto& line : turn["replies"])
    text += line.get<std::string>() + "\n";
  return text;
}

}  // namespace

TEST_CASE(
    "serve: on PostgreSQL, turns answer 503 while the database server is down and carry "
    "on when it is back, nothing stored lost",
    "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess server({}, where.db());
  const auto port = server.port();
  REQUIRE_THAT(replies_of(say(port, "alice", "take a note buy milk")), Catch::Contains("Noted"));

  where.cluster()->stop();
  const auto down =
      requip::test::post_json(port, "/v1/sessions/alice/messages", {{"text", "list my notes"}});
  CHECK(down.status == 503);
  CHECK_THAT(down.json()["error"]["message"].get<std::string>(), Catch::Contains("postgresql://"));
  // The server itself still answers.
  CHECK(requip::test::http_request(port, "GET", "/healthz").status == 200);

  where.cluster()->start();
  CHECK_THAT(replies_of(say(port, "alice", "list my notes")), Catch::Contains("buy milk"));
  CHECK(server.terminate() == 0);
}

TEST_CASE(
    "serve: two replicas on one PostgreSQL database share each user's notes and what "
    "feedback taught",
    "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess first({}, where.db()), second({}, where.db());

  say(first.port(), "alice", "take a note the key is under the mat");
  CHECK_THAT(replies_of(say(second.port(), "alice", "list my notes")),
             Catch::Contains("the key is under the mat"));
  CHECK_THAT(replies_of(say(second.port(), "bob", "list my notes")),
             !Catch::Contains("the key is under the mat"));

  // A skill equipped with "please" and confirmed on one replica is the mapping on the other.
  const std::string skill = say(first.port(), "alice", "please what time is it")["why"]["skill"];
  say(first.port(), "alice", "thanks");
  nlohmann::json why;
  for (int attempt = 0; attempt < 100; ++attempt) {
    why = say(second.port(), "carol", "what time is it")["why"];
    if (why["source"] == "mapping") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(why["source"] == "mapping");
  CHECK(why["skill"] == skill);
}

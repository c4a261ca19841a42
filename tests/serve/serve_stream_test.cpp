#include <catch2/catch.hpp>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::post_json;
using requip::test::WebSocketClient;

TEST_CASE("serve: a session's WebSocket gets its turns and reminders pushed", "[serve][e2e]") {
  requip::test::ServeProcess server({"--no-router"});
  const auto port = server.port();
  WebSocketClient stream(port, "/v1/sessions/s1/stream");
  WebSocketClient other(port, "/v1/sessions/s2/stream");

  SECTION("a turn posted over HTTP is pushed to the session's stream") {
    REQUIRE(post_json(port, "/v1/sessions/s1/messages", {{"text", "say pushed"}}).status == 200);
    auto pushed = stream.receive();
    CHECK(pushed["type"] == "turn");
    CHECK(pushed["text"] == "say pushed");
    CHECK(pushed["replies"] == nlohmann::json::array({"pushed"}));
  }
  SECTION("each line comes as its step runs, then the whole turn") {
    stream.send(R"({"text": "count to 3"})");
    for (const char* number : {"1", "2", "3"}) {
      auto line = stream.receive_any();
      CHECK(line["type"] == "line");
      CHECK(line["line"] == number);
      CHECK(line["skill"] == "counter");
    }
    CHECK(stream.receive_any()["type"] == "turn");
  }
  SECTION("a frame sent on the stream is a turn; every step of the answer comes back") {
    stream.send(R"({"text": "count to 3"})");
    auto pushed = stream.receive();
    CHECK(pushed["replies"] == nlohmann::json::array({"1", "2", "3"}));
    CHECK(pushed["skill"] == "counter");
  }
  SECTION("a bad frame gets an error and the stream stays open") {
    stream.send("not json");
    CHECK_THAT(stream.receive()["error"]["message"].get<std::string>(),
               Catch::Contains("not valid JSON"));
    stream.send(R"({"text": "say again"})");
    CHECK(stream.receive()["replies"] == nlohmann::json::array({"again"}));
  }
  SECTION("a reminder arrives on its own once it is due") {
    stream.send(R"({"text": "remind me in 1 second to stretch"})");
    CHECK(stream.receive()["skill"] == "clock");
    auto reminder = stream.receive();
    CHECK(reminder["type"] == "reminder");
    CHECK_THAT(reminder["replies"][0].get<std::string>(), Catch::Contains("stretch"));
  }
  // Only s1 spoke: the other session's stream received nothing of it.
  other.send(R"({"text": "say mine"})");
  CHECK(other.receive()["replies"] == nlohmann::json::array({"mine"}));
}

TEST_CASE("serve: a stream needs the token too", "[serve][e2e]") {
  requip::test::ServeProcess server({"--no-router", "--token", "t"});
  CHECK_THROWS(WebSocketClient(server.port(), "/v1/sessions/s1/stream"));
  WebSocketClient allowed(server.port(), "/v1/sessions/s1/stream", {{"Authorization", "Bearer t"}});
  allowed.send(R"({"text": "say in"})");
  CHECK(allowed.receive()["replies"] == nlohmann::json::array({"in"}));
}

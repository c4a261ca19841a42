#include <catch2/catch.hpp>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::http_request;
using requip::test::post_json;

namespace {

// Whatever a request did, the server must still answer the next one.
void check_still_serving(std::uint16_t port) {
  auto answer = post_json(port, "/v1/sessions/b/messages", {{"text", "say still here"}});
  REQUIRE(answer.status == 200);
  CHECK(answer.json()["replies"] == nlohmann::json::array({"still here"}));
}

}  // namespace

TEST_CASE(
    "serve: bytes that are not UTF-8 in a path, session id or header get an error, not an abort",
    "[serve][e2e][fuzz]") {
  requip::test::ServeProcess server({"--no-router"});
  const auto port = server.port();

  SECTION("an unknown path is a 404 whose JSON echoes the path with a replacement character") {
    auto answer = http_request(port, "GET", "/\xff");
    CHECK(answer.status == 404);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("/\xEF\xBF\xBD"));
  }
  SECTION("a session id is refused with 400") {
    CHECK(post_json(port, "/v1/sessions/\xff/messages", {{"text", "hi"}}).status == 400);
  }
  SECTION("the X-Requip-Session header is refused with 400") {
    const nlohmann::json body = {{"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    auto answer =
        post_json(port, "/v1/chat/completions", body, {{"X-Requip-Session", "al\xffice"}});
    CHECK(answer.status == 400);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("is not 1 to 64"));
  }
  SECTION("a WebSocket upgrade to such a session is refused") {
    CHECK_THROWS(requip::test::WebSocketClient(port, "/v1/sessions/\xff/stream"));
  }
  check_still_serving(port);
}

TEST_CASE("serve: chat completions with fields of the wrong type get a 400 naming the field",
          "[serve][e2e][fuzz]") {
  requip::test::ServeProcess server({"--no-router"});
  const auto port = server.port();

  SECTION("a \"model\" that is not a string") {
    const nlohmann::json body = {{"model", 1},
                                 {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    auto answer = post_json(port, "/v1/chat/completions", body);
    CHECK(answer.status == 400);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("\"model\" must be a string"));
  }
  SECTION("a content part whose \"type\" is not a string counts as no text") {
    const nlohmann::json body = {{"messages", {{{"role", "user"}, {"content", {{{"type", 1}}}}}}}};
    auto answer = post_json(port, "/v1/chat/completions", body);
    CHECK(answer.status == 400);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("no user message with text"));
  }
  check_still_serving(port);
}

TEST_CASE("serve: an expression nested 15,000 deep is refused by the calculator, not a crash",
          "[serve][e2e][fuzz]") {
  requip::test::ServeProcess server({"--no-router"});
  const auto port = server.port();
  const std::string nested = std::string(15000, '(') + "1" + std::string(15000, ')');
  auto answer = post_json(port, "/v1/sessions/a/messages", {{"text", "calculate " + nested}});
  REQUIRE(answer.status == 200);
  CHECK_THAT(answer.json()["replies"].dump(), Catch::Contains("nests deeper than"));
  check_still_serving(port);
}

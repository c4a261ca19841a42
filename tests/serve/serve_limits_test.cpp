#include <catch2/catch.hpp>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::http_request;
using requip::test::post_json;

TEST_CASE("serve: bad requests get a status and a message, and serving goes on", "[serve][e2e]") {
  requip::test::ServeProcess server({"--no-router"});
  const auto port = server.port();

  SECTION("a body over 64 KiB is 413") {
    const std::string text(70 * 1024, 'x');
    auto answer = post_json(port, "/v1/sessions/a/messages", {{"text", text}});
    CHECK(answer.status == 413);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("larger than 65536 bytes"));
  }
  SECTION("malformed JSON is 400, saying so") {
    auto answer = http_request(port, "POST", "/v1/sessions/a/messages", "{\"text\": ");
    CHECK(answer.status == 400);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("not valid JSON"));
  }
  SECTION("a missing field is 400, naming it") {
    auto answer = post_json(port, "/v1/sessions/a/messages", {{"txt", "hi"}});
    CHECK(answer.status == 400);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("no \"text\" field"));
  }
  SECTION("a bad session id is 400") {
    auto answer = post_json(port, "/v1/sessions/a%20b/messages", {{"text", "hi"}});
    CHECK(answer.status == 400);
  }
  SECTION("an unknown path is 404") {
    auto answer = http_request(port, "GET", "/v1/nothing");
    CHECK(answer.status == 404);
    CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
               Catch::Contains("/v1/nothing"));
  }
  SECTION("a known path with the wrong method is 405") {
    CHECK(http_request(port, "GET", "/v1/sessions/a/messages").status == 405);
  }
  // Whatever came before, the next request of any session is served.
  auto answer = post_json(port, "/v1/sessions/b/messages", {{"text", "say still here"}});
  REQUIRE(answer.status == 200);
  CHECK(answer.json()["replies"] == nlohmann::json::array({"still here"}));
}

TEST_CASE("serve: --token requires the bearer token on all but /healthz", "[serve][e2e]") {
  requip::test::ServeProcess server({"--no-router", "--token", "s3cret"});
  const auto port = server.port();
  CHECK(http_request(port, "GET", "/healthz").status == 200);
  auto refused = http_request(port, "GET", "/v1/skills");
  CHECK(refused.status == 401);
  CHECK_THAT(refused.json()["error"]["message"].get<std::string>(),
             Catch::Contains("bearer token"));
  CHECK(http_request(port, "GET", "/v1/skills", {}, {{"Authorization", "Bearer wrong"}}).status ==
        401);
  auto skills = http_request(port, "GET", "/v1/skills", {}, {{"Authorization", "Bearer s3cret"}});
  REQUIRE(skills.status == 200);
  CHECK_THAT(skills.body, Catch::Contains("\"parrot\"") && Catch::Contains("\"clock\""));
}

TEST_CASE("serve: /healthz and /v1/skills describe the running agent", "[serve][e2e]") {
  requip::test::ServeProcess server;
  auto health = http_request(server.port(), "GET", "/healthz");
  REQUIRE(health.status == 200);
  CHECK(health.content_type == "application/json");
  CHECK(health.json()["status"] == "ok");
  auto skills = http_request(server.port(), "GET", "/v1/skills").json()["skills"];
  std::vector<std::string> names;
  for (const auto& skill : skills)
    names.push_back(skill["name"]);
  CHECK_THAT(names, Catch::VectorContains(std::string("router")) &&
                        Catch::VectorContains(std::string("calculator")) &&
                        Catch::VectorContains(std::string("greeter")));
}

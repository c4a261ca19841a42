#include <catch2/catch.hpp>

#include "serve_client.hpp"
#include "serve_process.hpp"

using requip::test::post_json;

namespace {

nlohmann::json completion_request(const std::string& text, bool stream) {
  return {{"model", "requip"},
          {"stream", stream},
          {"messages",
           {{{"role", "system"}, {"content", "You are helpful."}},
            {{"role", "user"}, {"content", "say an earlier message"}},
            {{"role", "assistant"}, {"content", "an earlier message"}},
            {{"role", "user"}, {"content", text}}}}};
}

// What an OpenAI client does with a streamed response: read `data:` events up to [DONE],
// parse each chunk and join the content deltas.
struct Streamed {
  std::vector<nlohmann::json> chunks;
  std::string content;
  bool done = false;
};

Streamed parse_events(const std::string& body) {
  Streamed streamed;
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find("\n\n", at);
    REQUIRE(end != std::string::npos);  // every event ends with a blank line
    const std::string event = body.substr(at, end - at);
    at = end + 2;
    REQUIRE(event.rfind("data: ", 0) == 0);
    const std::string data = event.substr(6);
    if (data == "[DONE]") {
      streamed.done = true;
      break;
    }
    auto chunk = nlohmann::json::parse(data);
    streamed.content += chunk["choices"][0]["delta"].value("content", "");
    streamed.chunks.push_back(std::move(chunk));
  }
  CHECK(at == body.size());
  return streamed;
}

}  // namespace

TEST_CASE("serve: /v1/chat/completions answers the last user message, OpenAI-style",
          "[serve][e2e][openai]") {
  requip::test::ServeProcess server({"--no-router"});
  auto answer =
      post_json(server.port(), "/v1/chat/completions", completion_request("count to 2", false));
  REQUIRE(answer.status == 200);
  auto completion = answer.json();
  CHECK(completion["object"] == "chat.completion");
  CHECK_THAT(completion["id"].get<std::string>(), Catch::StartsWith("chatcmpl-"));
  CHECK(completion["model"] == "requip");
  CHECK(completion["choices"][0]["message"]["role"] == "assistant");
  CHECK(completion["choices"][0]["message"]["content"] == "1\n2");
  CHECK(completion["choices"][0]["finish_reason"] == "stop");
}

TEST_CASE("serve: \"stream\": true answers with server-sent chunks ending in [DONE]",
          "[serve][e2e][openai]") {
  requip::test::ServeProcess server({"--no-router"});
  auto answer =
      post_json(server.port(), "/v1/chat/completions", completion_request("count to 3", true));
  REQUIRE(answer.status == 200);
  CHECK(answer.content_type == "text/event-stream");
  const auto streamed = parse_events(answer.body);
  CHECK(streamed.done);
  CHECK(streamed.content == "1\n2\n3");
  REQUIRE(streamed.chunks.size() == 5);  // role, three lines, stop
  for (const auto& chunk : streamed.chunks) {
    CHECK(chunk["object"] == "chat.completion.chunk");
    CHECK(chunk["id"] == streamed.chunks.front()["id"]);
  }
  CHECK(streamed.chunks.front()["choices"][0]["delta"]["role"] == "assistant");
  CHECK(streamed.chunks.back()["choices"][0]["finish_reason"] == "stop");
}

TEST_CASE("serve: the user field names the session of a completion", "[serve][e2e][openai]") {
  requip::test::ServeProcess server;
  auto request = completion_request("please what time is it", false);
  request["user"] = "dana";
  REQUIRE(post_json(server.port(), "/v1/chat/completions", request).status == 200);
  // Dana's session has an answer to thank for; a fresh session has not.
  auto thanks = post_json(server.port(), "/v1/sessions/dana/messages", {{"text", "thanks"}});
  CHECK_THAT(thanks.json()["replies"][0].get<std::string>(), Catch::StartsWith("Thanks!"));
}

TEST_CASE("serve: a completion without a user message is 400", "[serve][e2e][openai]") {
  requip::test::ServeProcess server({"--no-router"});
  auto answer = post_json(server.port(), "/v1/chat/completions",
                          {{"messages", {{{"role", "system"}, {"content", "hi"}}}}});
  CHECK(answer.status == 400);
  CHECK_THAT(answer.json()["error"]["message"].get<std::string>(),
             Catch::Contains("no user message"));
}

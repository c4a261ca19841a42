#include <catch2/catch.hpp>

#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"
#include "subprocess.hpp"

using requip::test::post_json;

TEST_CASE("serve: SIGTERM stops the server cleanly, and what it learned is kept",
          "[serve][e2e][router]") {
  requip::test::ServeProcess server;
  const auto port = server.port();
  REQUIRE(post_json(port, "/v1/sessions/a/messages", {{"text", "please what time is it"}}).status ==
          200);
  REQUIRE(post_json(port, "/v1/sessions/a/messages", {{"text", "thanks"}}).status == 200);
  requip::test::WebSocketClient open_stream(port, "/v1/sessions/a/stream");

  CHECK(server.terminate() == 0);

  // The database was closed cleanly: another process reads the confirmed mapping from it.
  auto exported = requip::test::run_requip(
      {"memory", "export", "--json", "--db", (server.home() / "requip.db").string()});
  REQUIRE(exported.exit_code == 0);
  CHECK_THAT(exported.out, Catch::Contains("what time is it"));
}

#include <catch2/catch.hpp>

#include <stdexcept>

#include "requip/router/session_state.hpp"

using requip::router::SessionState;

TEST_CASE("session state: written as JSON and read back, it is the same conversation",
          "[router][session]") {
  SessionState state;
  state.answered({"clock", "what time is it", "What time is it?"});
  state.equip("clock", "what time is it");
  state.reject("play the radio", "news");
  state.reject("play the radio", "weather");
  state.complain(3);
  state.ask({"set it", "set it", {"alarm", "clock"}});

  auto copy = SessionState::from_json(state.to_json());
  REQUIRE(copy.previous());
  CHECK(copy.previous()->skill == "clock");
  CHECK(copy.previous()->text == "What time is it?");
  CHECK(copy.equipped() == "clock");
  CHECK(copy.equipped_key() == "what time is it");
  CHECK(copy.rejected_for("play the radio") == std::set<std::string>{"news", "weather"});
  CHECK(copy.complaints() == 1);
  const auto question = copy.take_question();
  REQUIRE(question);
  CHECK(question->options == std::vector<std::string>{"alarm", "clock"});
  CHECK(copy.to_json() == SessionState::from_json(copy.to_json()).to_json());
}

TEST_CASE("session state: text that is not a stored state is refused", "[router][session]") {
  CHECK_THROWS_AS(SessionState::from_json("not json"), std::invalid_argument);
  CHECK_THROWS_AS(SessionState::from_json(R"({"equipped": 3})"), std::invalid_argument);
  CHECK_THROWS_AS(
      SessionState::from_json(R"({"equipped":"","equipped_key":"","rejected":{},"complaints":0,)"
                              R"("question":{"key":"k","text":"t","options":["one"]}})"),
      std::invalid_argument);
}

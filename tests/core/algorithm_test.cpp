#include <catch2/catch.hpp>

#include "requip/core/algorithm.hpp"

using requip::Algorithm;
using requip::StepResult;

TEST_CASE("algorithm: steps run in order, one line each", "[core][algorithm]") {
  Algorithm algorithm = Algorithm::say_lines({"one", "two"});
  REQUIRE(algorithm.steps_left() == 2);
  CHECK(algorithm.advance().line == "one");
  CHECK(algorithm.advance().line == "two");
  CHECK(algorithm.finished());
}

TEST_CASE("algorithm: an aborting step finishes the whole algorithm", "[core][algorithm]") {
  Algorithm algorithm(
      {[] { return StepResult::stop("giving up"); }, [] { return StepResult::say("never said"); }});
  StepResult result = algorithm.advance();
  CHECK(result.abort);
  CHECK(result.line == "giving up");
  CHECK(algorithm.finished());
}

TEST_CASE("algorithm: priority must be between 1 and 5", "[core][algorithm]") {
  CHECK_THROWS_WITH(Algorithm::say("x", 0), Catch::Contains("priority 0 is outside 1..5"));
  CHECK_THROWS_WITH(Algorithm::say("x", 6), Catch::Contains("priority 6 is outside 1..5"));
  CHECK_NOTHROW(Algorithm::say("x", 1));
  CHECK_NOTHROW(Algorithm::say("x", 5));
}

TEST_CASE("algorithm: an algorithm without steps is refused", "[core][algorithm]") {
  CHECK_THROWS_AS(Algorithm(std::vector<requip::Step>{}), std::invalid_argument);
}

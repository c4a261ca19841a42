#include <catch2/catch.hpp>

#include "requip/core/dispatcher.hpp"
#include "requip/core/unavailable.hpp"

using requip::Algorithm;
using requip::Dispatcher;
using requip::StepResult;

namespace {

Algorithm named(Algorithm algorithm, std::string origin) {
  algorithm.set_origin(std::move(origin));
  return algorithm;
}

std::vector<std::string> drain(Dispatcher& dispatcher) {
  std::vector<std::string> lines;
  while (auto output = dispatcher.tick()) {
    if (output->line) lines.push_back(*output->line);
  }
  return lines;
}

}  // namespace

TEST_CASE("dispatcher: a more urgent algorithm pre-empts, and the interrupted one resumes",
          "[core][dispatcher]") {
  Dispatcher dispatcher;
  REQUIRE_FALSE(
      dispatcher.submit(named(Algorithm::say_lines({"slow 1", "slow 2", "slow 3"}, 4), "slow")));
  CHECK(dispatcher.tick()->line == "slow 1");

  REQUIRE_FALSE(
      dispatcher.submit(named(Algorithm::say_lines({"urgent 1", "urgent 2"}, 2), "urgent")));
  auto next = dispatcher.tick();
  CHECK(next->line == "urgent 1");
  CHECK(next->origin == "urgent");

  CHECK(drain(dispatcher) == std::vector<std::string>{"urgent 2", "slow 2", "slow 3"});
  CHECK(dispatcher.idle());
}

TEST_CASE("dispatcher: algorithms of equal priority run first come, first served",
          "[core][dispatcher]") {
  Dispatcher dispatcher;
  dispatcher.submit(Algorithm::say_lines({"a1", "a2"}, 3));
  dispatcher.submit(Algorithm::say_lines({"b1"}, 3));
  CHECK(drain(dispatcher) == std::vector<std::string>{"a1", "a2", "b1"});
}

TEST_CASE("dispatcher: an abort step drops the rest of its algorithm only", "[core][dispatcher]") {
  Dispatcher dispatcher;
  dispatcher.submit(Algorithm(
      {[] { return StepResult::say("first"); }, [] { return StepResult::stop("stopping"); },
       [] { return StepResult::say("never"); }},
      2));
  dispatcher.submit(Algorithm::say_lines({"other"}, 3));
  CHECK(drain(dispatcher) == std::vector<std::string>{"first", "stopping", "other"});
}

TEST_CASE("dispatcher: a full queue refuses and says so, never drops silently",
          "[core][dispatcher]") {
  Dispatcher dispatcher(2);
  CHECK_FALSE(dispatcher.submit(Algorithm::say("one")));
  CHECK_FALSE(dispatcher.submit(Algorithm::say("two")));
  auto refusal = dispatcher.submit(named(Algorithm::say("three"), "chatty"));
  REQUIRE(refusal);
  CHECK_THAT(*refusal,
             Catch::Contains("queue is full (2 algorithms)") && Catch::Contains("'chatty'"));
  CHECK(dispatcher.refused() == 1);
  CHECK(drain(dispatcher) == std::vector<std::string>{"one", "two"});
}

TEST_CASE("dispatcher: a throwing step aborts its algorithm and is reported",
          "[core][dispatcher]") {
  Dispatcher dispatcher;
  dispatcher.submit(named(Algorithm({[]() -> StepResult { throw std::runtime_error("boom"); },
                                     [] { return StepResult::say("never"); }}),
                          "faulty"));
  auto output = dispatcher.tick();
  REQUIRE(output);
  CHECK(output->failure == "boom");
  CHECK(output->origin == "faulty");
  CHECK(output->aborted);
  CHECK_FALSE(output->unavailable);
  CHECK(dispatcher.idle());
}

TEST_CASE("dispatcher: a step that meets an Unavailable is aborted and says so",
          "[core][dispatcher]") {
  struct ServerGone : std::runtime_error, requip::Unavailable {
    ServerGone() : std::runtime_error("server gone") {}
    const char* reason() const noexcept override { return what(); }
  };
  Dispatcher dispatcher;
  dispatcher.submit(named(Algorithm({[]() -> StepResult { throw ServerGone(); }}), "needy"));
  auto output = dispatcher.tick();
  REQUIRE(output);
  CHECK(output->unavailable);
  CHECK(output->failure == "server gone");
  CHECK(output->aborted);
}

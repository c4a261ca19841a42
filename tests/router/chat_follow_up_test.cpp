#include <catch2/catch.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
// The real `requip chat`, the router on, fed these lines on stdin.
std::string chat(const std::string& input) {
  requip::test::TempDir home;
  auto result = run_requip({"chat", "--db", (home / "requip.db").string()}, input,
                           {{"XDG_DATA_HOME", home.path().string()}});
  REQUIRE(result.exit_code == 0);
  return result.out;
}
}  // namespace

TEST_CASE("chat: \"take a note\" asks what the note should say and stores the answer",
          "[router][e2e][follow-up]") {
  CHECK(chat("take a note\nbuy milk\nlist my notes\n") ==
        "What should the note say?\n"
        "Noted (1 in total).\n"
        "You have 1 note:\n"
        "1. buy milk\n");
}

TEST_CASE("chat: \"set a timer\" asks for how long and sets the timer from the answer",
          "[router][e2e][follow-up]") {
  CHECK(chat("set a timer\n2 seconds\nlist my timers\n") ==
        "For how long?\n"
        "Timer set for 2 seconds.\n"
        "1. timer (2 seconds), 2 s left\n");
}

TEST_CASE("chat: an answer the asking skill declines is routed to the skill it is for",
          "[router][e2e][follow-up]") {
  const std::string out = chat("set a timer\nwhat is 12 plus 30\n/why\n");
  CHECK_THAT(out, Catch::StartsWith("For how long?\n42\n"));
  CHECK_THAT(out, Catch::Contains("clock asked a question and declined \"what is 12 plus 30\" as "
                                  "its answer, so it was routed as usual") &&
                      Catch::Contains("\"what is 12 plus 30\" went to calculator by "));
}

TEST_CASE("chat: /why says the last turn was the answer to a skill's question",
          "[router][e2e][follow-up]") {
  CHECK_THAT(chat("take a note\nbuy milk\n/why\n"),
             Catch::EndsWith("\"buy milk\" went to notes as the answer to its question (a "
                             "follow-up), before any routing.\n"));
}

TEST_CASE("chat: feedback words inside a follow-up are feedback, not the answer",
          "[router][e2e][follow-up]") {
  SECTION("thanks confirms the skill that asked; the question still waits for its answer") {
    CHECK(chat("take a note\nthanks\nbuy milk\nlist my notes\n") ==
          "What should the note say?\n"
          "Thanks! notes it is for \"take a note\".\n"
          "Noted (1 in total).\n"
          "You have 1 note:\n"
          "1. buy milk\n");
  }
  SECTION("wrong rejects the skill that asked, and its question goes with it") {
    const std::string out = chat("take a note\nwrong\nbuy milk\nlist my notes\n");
    CHECK_THAT(out, Catch::StartsWith("What should the note say?\n") &&
                        Catch::Contains(" equipped.\n") && !Catch::Contains("Noted") &&
                        Catch::EndsWith("You have no notes.\n"));
  }
}

TEST_CASE("chat: \"never mind\" drops the question", "[router][e2e][follow-up]") {
  const std::string out = chat("take a note\nnever mind\nbuy milk\nlist my notes\n");
  CHECK_THAT(out, Catch::StartsWith("What should the note say?\n") && !Catch::Contains("Noted") &&
                      Catch::EndsWith("You have no notes.\n"));
}

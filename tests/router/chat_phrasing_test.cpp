// The bundled skills asked the way people ask, through `requip chat` with the router on: the
// router must pick the right skill and the skill must understand the phrasing.

#include <catch2/catch.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {

// The chat's answers to the lines, one line of output per line of input.
std::string chat(const std::string& input) {
  requip::test::TempDir home;
  const auto result = run_requip({"chat", "--db", (home / "requip.db").string()}, input,
                                 {{"XDG_DATA_HOME", home.path().string()}});
  REQUIRE(result.exit_code == 0);
  return result.out;
}

}  // namespace

TEST_CASE("phrasing: the calculator takes arithmetic in words and digits", "[router][e2e]") {
  CHECK(chat("what is 12 plus 30\n"
             "what's 2 to the power of 10\n"
             "square root of 144\n"
             "7 times 6\n"
             "what is 15 percent of 80\n"
             "how much is 100 divided by 8\n"
             "what is twelve minus thirty?\n") == "42\n1024\n12\n42\n12\n12.5\n-18\n");
}

TEST_CASE("phrasing: the clock takes times, timers, alarms and reminders as people say them",
          "[router][e2e]") {
  CHECK_THAT(chat("what time is it\n"
                  "start a 30 second timer\n"
                  "remind me to stretch in 10 minutes\n"
                  "list my timers\n"
                  "cancel the timer\n"
                  "set an alarm for 7am\n"),
             Catch::Matches("It is \\d\\d:\\d\\d\\.\n"
                            "Timer set for 30 seconds\\.\n"
                            "I will remind you in 10 minutes: stretch\\.\n"
                            "1\\. timer \\(30 seconds\\), \\d+ s left\n"
                            "2\\. reminder \\(stretch\\), \\d+ min( \\d+ s)? left\n"
                            "Cancelled timer \\(30 seconds\\)\\.\n"
                            "Alarm set for 07:00 \\(in [^)]+\\)\\.\n"));
}

TEST_CASE("phrasing: notes are taken, read back and deleted in everyday words", "[router][e2e]") {
  CHECK(chat("note that the meeting moved to friday\n"
             "add a note: water the plants\n"
             "show me my notes\n"
             "delete the first note\n"
             "what are my notes\n") ==
        "Noted (1 in total).\n"
        "Noted (2 in total).\n"
        "You have 2 notes:\n1. the meeting moved to friday\n2. water the plants\n"
        "Deleted note 1: the meeting moved to friday\n"
        "You have 1 note:\n1. water the plants\n");
}

TEST_CASE("phrasing: the parrot repeats after 'repeat after me', 'echo' and 'say'",
          "[router][e2e]") {
  CHECK(chat("repeat after me good morning\necho ping\nsay see you at noon\n") ==
        "good morning\nping\nsee you at noon\n");
}

// A thank-you after an answer is feedback on it (tests/router); with nothing answered yet it
// is small talk.
TEST_CASE("phrasing: small talk gets small talk", "[router][e2e]") {
  CHECK(chat("thank you\nhow are you\nwho are you?\n") ==
        "You're welcome!\n"
        "I'm well, thank you! What can I do for you?\n"
        "I'm requip, an agent whose skills come from plugins. Ask \"what can you do\" to hear "
        "them.\n");
}

TEST_CASE("phrasing: a skill that declines passes the input on, and the reply and /why name it",
          "[router][e2e]") {
  // The equipped calculator is asked first; it has nothing to say to "say hello".
  CHECK_THAT(chat("/equip calculator\nsay hello\n/why\n"),
             Catch::StartsWith("calculator equipped.\nhello\n"
                               "(parrot answered; calculator had nothing to say)\n"
                               "\"say hello\" went to parrot by equipped, after calculator "
                               "declined.\n"));
}

TEST_CASE("phrasing: no input goes unanswered", "[router][e2e]") {
  const std::string out = chat("/equip notes\nwhat is 2 plus 2\nblorp\ncount to 2\n");
  CHECK(out ==
        "notes equipped.\n4\n(calculator answered; notes had nothing to say)\n"
        "I can't help with that. Ask \"what can you do\" (or type /skills) for what I can.\n"
        "1\n2\n(counter answered; notes had nothing to say)\n");
}

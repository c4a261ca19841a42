#include <catch2/catch.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
requip::test::ProcessResult chat(const std::string& input) {
  requip::test::TempDir home;
  return run_requip({"chat", "--db", (home / "requip.db").string()}, input,
                    {{"XDG_DATA_HOME", home.path().string()}});
}
}  // namespace

TEST_CASE("chat: the router is on by default and /why explains the last turn", "[router][e2e]") {
  auto result = chat("calculate 6 * 7\n/why\n");
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("42\n\"calculate 6 * 7\" went to calculator by "));
}

TEST_CASE("chat: input no skill takes gets one line that says where the list of skills is",
          "[router][e2e]") {
  CHECK(chat("xyzzy\n").out ==
        "I can't help with that. Ask \"what can you do\" (or type /skills) for what I can.\n");
}

TEST_CASE("chat: /why right after thanks shows the mapping the thanks stored", "[router][e2e]") {
  CHECK_THAT(chat("calculate 2 + 2\nthanks\n/why\n").out,
             Catch::Contains("mapping \"calculate 2 2\" -> calculator (version ") &&
                 Catch::Contains("1 confirmed, 0 rejected") &&
                 Catch::Contains("feedback: \"thanks\" about calculator (confirmed)"));
}

TEST_CASE("chat: --no-router lets every skill see the input", "[router][e2e]") {
  requip::test::TempDir home;
  auto result = run_requip({"chat", "--no-router", "--db", (home / "requip.db").string()},
                           "calculate 6 * 7\n/why\n", {{"XDG_DATA_HOME", home.path().string()}});
  CHECK(result.out == "42\n! unknown command '/why': type /help for the list\n");
}

TEST_CASE("chat: /equip makes a skill answer every input until another is equipped",
          "[router][e2e]") {
  SECTION("a loaded skill is equipped") {
    auto result = chat("/equip calculator\n2 + 2\n/why\n");
    CHECK_THAT(result.out, Catch::StartsWith("calculator equipped.\n4\n\"2 + 2\" went to "
                                             "calculator by equipped."));
  }
  SECTION("an unknown name is refused with a pointer to /skills") {
    auto result = chat("/equip nothing\n");
    CHECK(result.out == "! no skill named 'nothing' to equip: /skills lists them\n");
  }
}

TEST_CASE("chat: /equip with no name, /unequip and \"never mind\" let go of the equipped skill",
          "[router][e2e]") {
  SECTION("/equip with no name") {
    CHECK_THAT(chat("/equip calculator\n/equip\nsay hello\n/why\n").out,
               Catch::StartsWith("calculator equipped.\ncalculator unequipped.\nhello\n"
                                 "\"say hello\" went to parrot by gate."));
  }
  SECTION("/unequip") {
    CHECK_THAT(chat("/equip notes\n/unequip\n/unequip\nsay hello\n/why\n").out,
               Catch::StartsWith("notes equipped.\nnotes unequipped.\nNothing is equipped.\n"
                                 "hello\n\"say hello\" went to parrot by gate."));
  }
  SECTION("the release phrase, in any case and with punctuation") {
    CHECK_THAT(chat("/equip calculator\nNever mind!\nsay hello\n/why\n").out,
               Catch::StartsWith("calculator equipped.\n"
                                 "calculator unequipped: I choose a skill for each input again.\n"
                                 "hello\n\"say hello\" went to parrot by gate."));
    CHECK_THAT(chat("/equip calculator\nunequip\n/why\n").out,
               Catch::EndsWith("\"unequip\" let go of the equipped skill: each input is routed "
                               "again.\n"));
  }
}

TEST_CASE("chat: /stats counts routing decisions and the load on each skill", "[router][e2e]") {
  SECTION("before any input") {
    CHECK(chat("/stats\n").out == "No input has been routed yet.\n");
  }
  SECTION("after three turns") {
    auto result = chat("calculate 1 + 1\ncalculate 2 + 2\nsay hi\n/stats\n");
    CHECK_THAT(result.out, Catch::Contains("3 turns routed:") &&
                               Catch::Contains("expert load:\n") &&
                               Catch::Contains("  calculator      2 (67%)\n") &&
                               Catch::Contains("  parrot          1 (33%)\n"));
  }
}

TEST_CASE("chat: /help lists the router's commands", "[router][e2e]") {
  auto result = chat("/help\n");
  CHECK_THAT(result.out, Catch::Contains("/equip") && Catch::Contains("/why") &&
                             Catch::Contains("/forget") && Catch::Contains("/stats") &&
                             Catch::Contains("/reload") && Catch::Contains("/quit"));
}

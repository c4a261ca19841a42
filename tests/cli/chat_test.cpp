#include <catch2/catch.hpp>

#include <fstream>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
// The REPL's own behaviour, with every skill seeing each input; how the router (on by
// default) chooses is specified in tests/router.
requip::test::ProcessResult chat(const std::string& input) {
  requip::test::TempDir home;
  return run_requip({"chat", "--no-router"}, input, {{"XDG_DATA_HOME", home.path().string()}});
}
}  // namespace

TEST_CASE("chat: piped lines are answered until end of input, exit 0", "[cli][chat]") {
  auto result = chat("hello\nsay good night\n");
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "Hello! I'm requip. Type /skills to see what I can do.\n"
        "good night\n");
}

TEST_CASE("chat: a multi-step answer is printed in full before the next line", "[cli][chat]") {
  auto result = chat("count to 3\nsay done\n");
  CHECK(result.out == "1\n2\n3\ndone\n");
}

TEST_CASE("chat: bad input gets a one-line reason and the REPL keeps going", "[cli][chat][input]") {
  const std::string huge(1 << 20, 'x');
  auto result = chat("\n" + huge + "\nab\xff\xfe\nsay still here\n");
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "! input is empty: type a message\n"
        "! input is too long: 1048576 bytes, the limit is 65536; send a shorter message\n"
        "! input is not valid UTF-8 (byte 0xff at offset 2); send UTF-8 text\n"
        "still here\n");
}

TEST_CASE("chat: slash commands list skills, reject unknowns, and /quit ends", "[cli][chat]") {
  auto result = chat("/skills\n/nope\n/quit\nsay unreachable\n");
  CHECK(result.exit_code == 0);
  // Built-in skills and the bundled plugins alike.
  CHECK_THAT(result.out, Catch::Contains("greeter") && Catch::Contains("counter") &&
                             Catch::Contains("parrot") && Catch::Contains("calculator") &&
                             Catch::Contains("clock") && Catch::Contains("notes") &&
                             Catch::Contains("catalog"));
  CHECK_THAT(result.out, Catch::Contains("! unknown command '/nope'"));
  CHECK_THAT(result.out, !Catch::Contains("unreachable"));
}

TEST_CASE("chat: input no skill takes gets a pointer to /skills", "[cli][chat]") {
  auto result = chat("xyzzy\n");
  CHECK(result.out == "I have no skill for that yet. Type /skills to see what I can do.\n");
}

TEST_CASE("chat: the bundled plugins answer from their shared libraries", "[cli][chat][plugins]") {
  auto result = chat("calculate (1 + 2) * 4\ncalculate 2 +\ntake a note buy milk\nlist my notes\n");
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "12\n"
        "I cannot calculate that: expected a number at position 3.\n"
        "Noted (1 in total).\n"
        "You have 1 note:\n"
        "1. buy milk\n");
}

TEST_CASE("chat: /reload rescans the plugins and the chat goes on", "[cli][chat][plugins]") {
  auto result = chat("/reload\nsay still here\n");
  CHECK_THAT(result.out, Catch::Contains("! reloaded skill 'parrot' 1.1.0") &&
                             Catch::EndsWith("plugins rescanned\nstill here\n"));
}

TEST_CASE("chat: a garbage .so in the plugin folder is refused and the agent keeps serving",
          "[cli][chat][plugins]") {
  requip::test::TempDir home, folder;
  std::ofstream(folder / "garbage.so") << "not a library";
  auto result = run_requip({"chat", "--plugins", folder.path().string()}, "say hi\n",
                           {{"XDG_DATA_HOME", home.path().string()}});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "hi\n");
  CHECK_THAT(result.err, Catch::Contains((folder / "garbage.so").string()) &&
                             Catch::Contains("is not a loadable shared library"));
}

TEST_CASE("chat: what a skill remembers survives a restart of the program", "[cli][chat][memory]") {
  requip::test::TempDir home;
  const std::map<std::string, std::string> environment{{"XDG_DATA_HOME", home.path().string()}};
  auto first = run_requip({"chat"}, "take a note buy milk\ntake a note call Ada\n", environment);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == "Noted (1 in total).\nNoted (2 in total).\n");
  auto second = run_requip({"chat"}, "list my notes\n", environment);
  CHECK(second.exit_code == 0);
  CHECK(second.out == "You have 2 notes:\n1. buy milk\n2. call Ada\n");
}

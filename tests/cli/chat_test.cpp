#include <catch2/catch.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
requip::test::ProcessResult chat(const std::string& input) {
  requip::test::TempDir home;
  return run_requip({"chat"}, input, {{"XDG_DATA_HOME", home.path().string()}});
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
  CHECK_THAT(result.out, Catch::Contains("greeter") && Catch::Contains("counter"));
  CHECK_THAT(result.out, Catch::Contains("! unknown command '/nope'"));
  CHECK_THAT(result.out, !Catch::Contains("unreachable"));
}

TEST_CASE("chat: input no skill takes gets a pointer to /skills", "[cli][chat]") {
  auto result = chat("xyzzy\n");
  CHECK(result.out == "I have no skill for that yet. Type /skills to see what I can do.\n");
}

TEST_CASE("chat: what a skill remembers survives a restart of the program", "[cli][chat][memory]") {
  requip::test::TempDir home;
  const std::map<std::string, std::string> environment{{"XDG_DATA_HOME", home.path().string()}};
  auto first = run_requip({"chat"}, "remember the milk\nremember to call Ada\n", environment);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == "I will remember: the milk\nI will remember: to call Ada\n");
  auto second = run_requip({"chat"}, "what do you remember\n", environment);
  CHECK(second.exit_code == 0);
  CHECK(second.out == "You asked me to remember:\n- the milk\n- to call Ada\n");
  auto third = run_requip({"chat"}, "forget everything\nwhat do you remember\n", environment);
  CHECK(third.out ==
        "I have forgotten everything you told me.\n"
        "Nothing yet. Tell me: remember <something>.\n");
}

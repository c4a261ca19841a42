#include <catch2/catch.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
requip::test::ProcessResult chat(const requip::test::TempDir& home, const std::string& input) {
  return run_requip({"chat", "--db", (home / "requip.db").string()}, input,
                    {{"XDG_DATA_HOME", home.path().string()}});
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}
}  // namespace

TEST_CASE("router: a mapping survives a restart (two processes, one SQLite file)",
          "[router][e2e]") {
  requip::test::TempDir home;
  // First process: "please" equips, "wrong" re-equips another skill, "thanks" confirms it.
  auto first = chat(home, "please what time is it\nwrong\nthanks\n");
  REQUIRE(first.exit_code == 0);
  const auto equipped = first.out.find(" equipped.\n");
  const auto corrected = first.out.find(" equipped.\n", equipped + 1);
  REQUIRE(corrected != std::string::npos);
  const std::string rejected = first_line(first.out).substr(0, equipped);
  const auto line_start = first.out.rfind('\n', corrected) + 1;
  const std::string skill = first.out.substr(line_start, corrected - line_start);
  CHECK(skill != rejected);
  CHECK_THAT(first.out, Catch::Contains("Thanks! " + skill + " it is for \"what time is it\"."));

  // Second process, same file: the stored mapping answers as the first process ended.
  auto second = chat(home, "please what time is it\n/why\n");
  REQUIRE(second.exit_code == 0);
  CHECK(first_line(second.out) == skill + " equipped.");
  CHECK_THAT(second.out, Catch::Contains("by mapping") && Catch::Contains("1 confirmed"));
}

TEST_CASE("router: /forget drops a learned mapping for good", "[router][e2e]") {
  requip::test::TempDir home;
  chat(home, "please what time is it\nthanks\n");
  auto forget = chat(home, "/forget what time is it\n/forget what time is it\n");
  CHECK(forget.out ==
        "Forgot \"what time is it\".\nNothing was learned for \"what time is it\".\n");
}

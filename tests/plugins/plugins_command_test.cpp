#include <catch2/catch.hpp>

#include <fstream>

#include "plugin_fixtures.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::fixture_plugin;
using requip::test::run_requip;

TEST_CASE("requip plugins check: a valid plugin is described, exit 0", "[cli][plugins]") {
  auto result = run_requip({"plugins", "check", fixture_plugin("tally_v1").string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("ok: tally 1.0.0 (regular skill, plugin ABI 1.2"));
}

TEST_CASE("requip plugins check: a refused plugin gets one line with the reason, exit 1",
          "[cli][plugins]") {
  const auto file = fixture_plugin("newer_minor");
  auto result = run_requip({"plugins", "check", file.string()});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, Catch::StartsWith("refused: plugin " + file.string()) &&
                             Catch::Contains("newer than this host's"));
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("requip plugins check: a plugin that cannot create its skill is refused",
          "[cli][plugins]") {
  auto result = run_requip({"plugins", "check", fixture_plugin("create_throws").string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("on_create failed: its model file is missing"));
}

TEST_CASE(
    "requip plugins check: a plugin that crashes while checked is refused, and the check "
    "survives to say so",
    "[cli][plugins][isolation]") {
  auto result = run_requip({"plugins", "check", fixture_plugin("aborts_in_create").string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Catch::StartsWith("refused: plugin ") && Catch::Contains("crashed with SIGABRT"));
}

TEST_CASE(
    "requip plugins list: bundled and user plugins with version, ABI, isolation, state and file",
    "[cli][plugins]") {
  requip::test::TempDir folder;
  std::filesystem::copy_file(fixture_plugin("tally_v2"), folder / "tally.so");
  std::ofstream(folder / "broken.so") << "garbage";

  SECTION("the user's plugins run out of process by default, the bundled ones in process") {
    auto result = run_requip({"plugins", "list", "--plugins", folder.path().string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Matches("(.|\n)*parrot +1\\.1\\.0 +1\\.2 +inprocess +ok "
                                          "+\\S+parrot\\.so\n(.|\n)*"));
    CHECK_THAT(result.out, Catch::Contains("tally        2.0.0    1.2   process    ok          " +
                                           (folder / "tally.so").string()));
    CHECK_THAT(result.out,
               Catch::Contains("-          refused     plugin " + (folder / "broken.so").string()));
  }
  SECTION("--isolation inprocess runs them in process") {
    auto result = run_requip(
        {"plugins", "list", "--plugins", folder.path().string(), "--isolation", "inprocess"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("tally        2.0.0    1.2   inprocess  ok          " +
                                           (folder / "tally.so").string()));
  }
}

TEST_CASE("requip plugins list: an unknown --isolation is one line naming the choices",
          "[cli][plugins]") {
  auto result = run_requip({"plugins", "list", "--isolation", "sandbox"});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("--isolation") && Catch::Contains("process") &&
                             Catch::Contains("inprocess"));
}

TEST_CASE("requip plugins list: a missing --plugins folder is one line naming it and the fix",
          "[cli][plugins]") {
  auto result = run_requip({"plugins", "list", "--plugins", "/nonexistent/plugins"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("plugin folder '/nonexistent/plugins' does not exist; "
                                         "create it or pass an existing folder to --plugins"));
}

#include <catch2/catch.hpp>

#include <fstream>

#include "plugin_fixtures.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::fixture_plugin;
using requip::test::run_requip;

namespace {

// A plugin folder with two skills whose examples are in the same words.
void install_overlapping(const requip::test::TempDir& folder) {
  std::filesystem::copy_file(fixture_plugin("weather"), folder / "weather.so");
  std::filesystem::copy_file(fixture_plugin("forecast"), folder / "forecast.so");
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// The colliding examples of a warning name one skill's example routed to the other.
bool names_a_collision(const std::string& out) {
  return out.find("(weather) is routed to forecast") != std::string::npos ||
         out.find("(forecast) is routed to weather") != std::string::npos;
}

requip::test::ProcessResult chat(const std::vector<std::string>& options,
                                 const std::string& input) {
  requip::test::TempDir home;
  std::vector<std::string> arguments{"chat", "--db", (home / "requip.db").string()};
  arguments.insert(arguments.end(), options.begin(), options.end());
  return run_requip(arguments, input, {{"XDG_DATA_HOME", home.path().string()}});
}

}  // namespace

TEST_CASE(
    "requip plugins check: a folder of two plugins whose examples overlap warns of the "
    "pair, naming the colliding examples, and still exits 0",
    "[cli][plugins][conflicts]") {
  requip::test::TempDir folder;
  install_overlapping(folder);
  auto result = run_requip({"plugins", "check", folder.path().string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("ok: forecast ") && Catch::Contains("ok: weather "));
  CHECK_THAT(result.out,
             Catch::Contains("\nwarning: skills \"forecast\" and \"weather\" overlap: \""));
  CHECK(names_a_collision(result.out));
  CHECK_THAT(result.out, Catch::Contains("\nhint: give each skill of a pair examples in words "
                                         "the other's do not use"));
  CHECK(count_of(result.out, "warning:") == 1);
}

TEST_CASE(
    "requip plugins check: a plugin beside the built-in and bundled skills, none of them "
    "overlapping, gets no warning",
    "[cli][plugins][conflicts]") {
  auto result = run_requip({"plugins", "check", fixture_plugin("weather").string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("ok: weather "));
  CHECK(count_of(result.out + result.err, "warning:") == 0);
}

TEST_CASE("requip plugins check: a skill with a single example is named as too small to check",
          "[cli][plugins][conflicts]") {
  auto result = run_requip({"plugins", "check", fixture_plugin("tally_v1").string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("\nnote: too few examples to check for overlap (fewer "
                                         "than 2): ") &&
                             Catch::Contains("tally"));
}

TEST_CASE("requip plugins check: a refused plugin still fails the check beside a warning",
          "[cli][plugins][conflicts]") {
  requip::test::TempDir folder;
  install_overlapping(folder);
  std::ofstream(folder / "broken.so") << "garbage";
  auto result = run_requip({"plugins", "check", folder.path().string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::StartsWith("refused: plugin " + (folder / "broken.so").string()));
  CHECK(count_of(result.out, "warning:") == 1);
}

TEST_CASE("requip plugins check: a folder with no plugin in it is one line naming it and the fix",
          "[cli][plugins][conflicts]") {
  requip::test::TempDir folder;
  auto result = run_requip({"plugins", "check", folder.path().string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Catch::Contains("folder '" + folder.path().string() +
                             "' holds no plugin library (*.so); pass a plugin's .so or a "
                             "folder of them"));
}

TEST_CASE("chat: /skills warns of skills whose examples overlap, after the list",
          "[cli][plugins][conflicts][e2e]") {
  requip::test::TempDir folder;
  install_overlapping(folder);
  auto result = chat({"--plugins", folder.path().string()}, "/skills\n");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("  weather ") && Catch::Contains("  forecast "));
  CHECK_THAT(result.out,
             Catch::Contains("\nwarning: skills \"forecast\" and \"weather\" overlap: \""));
  CHECK(names_a_collision(result.out));
  CHECK_THAT(result.out, Catch::Contains("\nhint: give each skill of a pair"));
}

TEST_CASE("chat: /skills on the built-in and bundled skills alone warns of no overlap",
          "[cli][plugins][conflicts][e2e]") {
  auto result = chat({}, "/skills\n");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("  catalog ") && Catch::Contains("  greeter "));
  CHECK(count_of(result.out + result.err, "warning:") == 0);
}

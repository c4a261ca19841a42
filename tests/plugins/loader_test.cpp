#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>

#include "plugin_fixtures.hpp"
#include "requip/core/version.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "temp_dir.hpp"

using requip::plugins::load_plugin;
using requip::plugins::PluginError;
using requip::test::fixture_plugin;

namespace {

// The one-line reason load_plugin gives for a file; fails the test if it loads.
std::string refusal(const std::filesystem::path& file, requip::plugins::Isolation isolation) {
  try {
    load_plugin(file, isolation);
  } catch (const PluginError& error) {
    CHECK(error.file() == file);
    return error.what();
  }
  FAIL("the plugin was accepted: " << file);
  return {};
}

}  // namespace

TEST_CASE("loader: a no-op C plugin loads and describes itself", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  auto plugin = load_plugin(fixture_plugin("no_op"), isolation);
  CHECK(plugin.info().name == "no_op");
  CHECK(plugin.info().version == "1.0.0");
  CHECK(plugin.info().abi_major == REQUIP_PLUGIN_ABI_MAJOR);
  CHECK(plugin.info().file == fixture_plugin("no_op"));
}

TEST_CASE("loader: a library without the entry point is refused, naming it", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto file = fixture_plugin("missing_entry_point");
  const std::string reason = refusal(file, isolation);
  CHECK_THAT(reason, Catch::Contains(file.string()) &&
                         Catch::Contains("exports no requip_plugin_entry entry point"));
}

TEST_CASE("loader: an entry point returning no descriptor is refused", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto file = fixture_plugin("null_descriptor");
  CHECK_THAT(refusal(file, isolation),
             Catch::Contains(file.string()) && Catch::Contains("returned no descriptor"));
}

TEST_CASE("loader: a plugin built for another ABI major is refused with both versions",
          "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto file = fixture_plugin("abi_major_mismatch");
  CHECK_THAT(
      refusal(file, isolation),
      Catch::Contains(file.string()) &&
          Catch::Contains(fmt::format("built for plugin ABI {}.{}", REQUIP_PLUGIN_ABI_MAJOR + 1,
                                      REQUIP_PLUGIN_ABI_MINOR)) &&
          Catch::Contains(fmt::format("this host speaks {}.{}", REQUIP_PLUGIN_ABI_MAJOR,
                                      REQUIP_PLUGIN_ABI_MINOR)));
}

TEST_CASE("loader: a plugin built for a newer ABI minor is refused with both versions",
          "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto file = fixture_plugin("newer_minor");
  CHECK_THAT(refusal(file, isolation),
             Catch::Contains(file.string()) &&
                 Catch::Contains(fmt::format("built for plugin ABI {}.{}, newer than this host's "
                                             "{}.{}",
                                             REQUIP_PLUGIN_ABI_MAJOR, REQUIP_PLUGIN_ABI_MINOR + 1,
                                             REQUIP_PLUGIN_ABI_MAJOR, REQUIP_PLUGIN_ABI_MINOR)));
}

TEST_CASE("loader: a plugin built for ABI 1.0 still loads", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto plugin = requip::plugins::load_plugin(fixture_plugin("abi_1_0"), isolation);
  CHECK(plugin.info().abi_major == 1);
  CHECK(plugin.info().abi_minor == 0);
}

TEST_CASE("loader: a garbage file with a .so name is refused", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  const auto file = folder / "garbage.so";
  std::ofstream(file) << "this is not an ELF file, whatever its name says\n";
  CHECK_THAT(refusal(file, isolation),
             Catch::Contains(file.string()) && Catch::Contains("is not a loadable shared library"));
}

TEST_CASE("loader: a missing file is refused with the fix", "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  requip::test::TempDir folder;
  CHECK_THAT(refusal(folder / "absent.so", isolation), Catch::Contains("no such file"));
}

TEST_CASE("loader: a plugin whose skill cannot be created reports why, naming the file",
          "[plugins][loader]") {
  REQUIP_EACH_ISOLATION(isolation);
  const auto file = fixture_plugin("create_throws");
  auto plugin = load_plugin(file, isolation);  // describing works; creating does not
  try {
    plugin.create();
    FAIL("create succeeded");
  } catch (const PluginError& error) {
    CHECK_THAT(error.what(), Catch::Contains(file.string()) &&
                                 Catch::Contains("on_create failed: its model file is missing"));
  }
}

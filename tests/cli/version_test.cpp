#include <catch2/catch.hpp>

#include "requip/core/version.hpp"
#include "subprocess.hpp"

using requip::test::run_requip;

TEST_CASE("requip --version prints the version CMake defined", "[cli]") {
  auto result = run_requip({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "requip " REQUIP_VERSION_STRING "\n");
}

TEST_CASE("requip --help lists the subcommands", "[cli]") {
  auto result = run_requip({"--help"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("chat") && Catch::Contains("bench"));
}

TEST_CASE("requip without a subcommand fails and points to --help", "[cli]") {
  auto result = run_requip({});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("--help"));
}

#pragma once

#include <filesystem>
#include <string>

#include "requip/plugins/isolation.hpp"

// Runs the test case once per isolation mode, naming the mode in any failure: every plugin
// behaviour holds in process and out of process alike.
#define REQUIP_EACH_ISOLATION(name)                                                          \
  const requip::plugins::Isolation name =                                                    \
      GENERATE(requip::plugins::Isolation::in_process, requip::plugins::Isolation::process); \
  INFO("plugins run " << requip::plugins::to_string(name))

namespace requip::test {

// The .so of a test plugin built by this build (tests/plugins/fixtures), e.g. "no_op".
std::filesystem::path fixture_plugin(const std::string& name);

// Installs a library into a folder the way a careful user does: written beside it under
// another name, then renamed over the target in one step.
void install_by_rename(const std::filesystem::path& library, const std::filesystem::path& target);

}  // namespace requip::test

#pragma once

#include <filesystem>
#include <string>

namespace requip::test {

// The .so of a test plugin built by this build (tests/plugins/fixtures), e.g. "no_op".
std::filesystem::path fixture_plugin(const std::string& name);

// Installs a library into a folder the way a careful user does: written beside it under
// another name, then renamed over the target in one step.
void install_by_rename(const std::filesystem::path& library, const std::filesystem::path& target);

}  // namespace requip::test

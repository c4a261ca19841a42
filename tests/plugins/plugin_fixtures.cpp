#include "plugin_fixtures.hpp"

namespace requip::test {

std::filesystem::path fixture_plugin(const std::string& name) {
  return std::filesystem::path(REQUIP_TEST_PLUGIN_DIR) / (name + ".so");
}

void install_by_rename(const std::filesystem::path& library, const std::filesystem::path& target) {
  const auto staging = target.parent_path() / (target.filename().string() + ".partial");
  std::filesystem::copy_file(library, staging, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(staging, target);
}

}  // namespace requip::test

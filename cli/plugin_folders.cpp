#include "plugin_folders.hpp"

#include <stdexcept>

#include "paths.hpp"
#include "shared_options.hpp"

namespace requip::cli {

std::optional<std::filesystem::path> bundled_plugin_folder() {
  std::error_code error;
  const auto executable = std::filesystem::canonical("/proc/self/exe", error);
  if (error) return std::nullopt;
  for (const char* relative :
       {REQUIP_BUNDLED_FROM_BUILD_BINARY, REQUIP_BUNDLED_FROM_INSTALLED_BINARY}) {
    const auto folder = (executable.parent_path() / relative).lexically_normal();
    if (std::filesystem::is_directory(folder, error)) return folder;
  }
  return std::nullopt;
}

void add_user_plugin_options(CLI::App& command, UserPlugins& plugins) {
  add_shared_option(command, SharedOption::plugins, plugins.folder);
  add_shared_option(command, SharedOption::isolation, plugins.isolation);
  add_shared_option(command, SharedOption::plugin_memory, plugins.memory_mib);
}

plugins::PluginHostOptions plugin_host_options(const UserPlugins& user, bool watch) {
  plugins::PluginHostOptions options;
  options.watch = watch;
  options.limits.memory_bytes = user.memory_mib << 20;
  const auto isolation =
      plugins::parse_isolation(user.isolation).value_or(plugins::Isolation::process);
  if (auto bundled = bundled_plugin_folder()) options.folders.emplace_back(*bundled);
  std::error_code error;
  const std::string& folder = user.folder;
  if (folder.empty()) {
    const auto user_folder = data_home() / "plugins";
    std::filesystem::create_directories(user_folder, error);
    if (std::filesystem::is_directory(user_folder, error)) {
      options.folders.emplace_back(user_folder, isolation);
    }
  } else if (std::filesystem::is_directory(folder, error)) {
    options.folders.emplace_back(folder, isolation);
  } else {
    throw std::runtime_error("plugin folder '" + folder +
                             "' does not exist; create it or pass an existing folder to " +
                             shared_option_name(SharedOption::plugins));
  }
  return options;
}

}  // namespace requip::cli

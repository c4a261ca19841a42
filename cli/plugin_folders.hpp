#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "requip/plugins/plugin_host.hpp"

namespace requip::cli {

// The bundled plugins: <exe dir>/lib/requip/plugins in the build tree, <prefix>/<libdir>/
// requip/plugins when installed (found relative to the running binary, so a moved prefix
// still works). Nothing if neither exists.
std::optional<std::filesystem::path> bundled_plugin_folder();

// The user's plugins: where they are and how they run (--plugins, --isolation,
// --plugin-memory).
struct UserPlugins {
  std::string folder;  // empty: $XDG_DATA_HOME/requip/plugins
  std::string isolation = "process";
  std::uint64_t memory_mib = 1024;
};

void add_user_plugin_options(CLI::App& command, UserPlugins& plugins);

// The bundled folder, run in process, then the user's: `folder` if given (it must exist),
// otherwise $XDG_DATA_HOME/requip/plugins, created if missing. Throws std::runtime_error
// naming a folder that does not exist.
plugins::PluginHostOptions plugin_host_options(const UserPlugins& user, bool watch);

}  // namespace requip::cli

#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "requip/plugins/plugin_host.hpp"

namespace requip::cli {

// The bundled plugins: <exe dir>/lib/requip/plugins in the build tree, <prefix>/<libdir>/
// requip/plugins when installed (found relative to the running binary, so a moved prefix
// still works). Nothing if neither exists.
std::optional<std::filesystem::path> bundled_plugin_folder();

// The bundled folder, then the user's: `folder` if given (it must exist), otherwise
// $XDG_DATA_HOME/requip/plugins, created if missing. Throws std::runtime_error naming a
// folder that does not exist.
plugins::PluginHostOptions plugin_host_options(const std::string& folder, bool watch);

}  // namespace requip::cli

#pragma once

#include <filesystem>

#include "requip/plugin_abi.h"
#include "requip/plugins/loaded_plugin.hpp"

namespace requip::plugins {

// Judges a descriptor a plugin handed over: its ABI version and size, the host version it
// needs, its hooks, its name and kind. Throws PluginError naming `file` and the fix;
// otherwise returns what the descriptor declares. Reads no field past the ABI's own.
PluginInfo check_descriptor(const std::filesystem::path& file,
                            const requip_plugin_descriptor& descriptor);

// The host's copy of a checked descriptor, as this host's ABI lays it out: the fields the
// plugin's minor appended after its own are zero, so an older plugin's hooks read as absent.
requip_plugin_descriptor copy_descriptor(const requip_plugin_descriptor& descriptor);

}  // namespace requip::plugins

#pragma once

#include <filesystem>
#include <memory>
#include <utility>

#include "plugin_code.hpp"
#include "requip/plugins/loaded_plugin.hpp"

namespace requip::plugins::detail {

// A plugin run out of process: its file is loaded and checked in a host process of its own,
// and every hook is a call to that host. When the host ends under a call (a crash, a kill at
// a turn's deadline, its memory limit) that call fails naming how; the next call starts a
// new host, where each conversation's instance is made again with the state it was last
// handed and told what it lost. After three ends in 60 s the plugin is quarantined.
//
// Throws PluginError naming the file, as load_plugin does.
std::pair<std::shared_ptr<const PluginCode>, PluginInfo> isolated_code(
    const std::filesystem::path& file, ProcessLimits limits);

}  // namespace requip::plugins::detail

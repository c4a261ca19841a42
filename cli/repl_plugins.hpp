#pragma once

#include "repl.hpp"
#include "requip/plugins/plugin_host.hpp"

namespace requip::cli {

// Gives a REPL its plugin side: swaps prepared by the host's watcher are applied between
// turns, /reload forces a rescan and /plugins shows what is loaded.
void add_plugin_commands(Repl& repl, plugins::PluginHost& host);

}  // namespace requip::cli

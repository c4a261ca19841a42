#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "requip/core/brain.hpp"
#include "requip/plugins/plugin_host.hpp"

namespace requip::memory {
class Store;
}

namespace requip::cli {

// The agent `requip chat` and `requip serve` run: the database, and a brain with the
// built-in skills and the plugins of the bundled and the user's folders, watched for changes.
struct Agent {
  // Throws std::runtime_error naming a database or folder that cannot be used.
  Agent(const std::filesystem::path& database, const std::string& plugin_folder);

  // Skills' memory and the router's learning live here, so they survive restarts.
  std::shared_ptr<memory::Store> store;
  Brain brain;
  plugins::PluginHost plugins;
};

}  // namespace requip::cli

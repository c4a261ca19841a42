#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "plugin_folders.hpp"
#include "requip/core/agent.hpp"
#include "requip/plugins/plugin_host.hpp"

namespace requip::memory {
class Store;
}

namespace requip::cli {

// The agent `requip chat` and `requip serve` run: the database, the built-in skills, the
// plugins of the bundled and the user's folders (watched for changes) and, unless turned
// off, the learned router, one instance per conversation over one model.
struct BundledAgent {
  // Throws std::runtime_error naming a database or folder that cannot be used. A conversation
  // quiet for `conversation_expiry` starts over, whichever process on the database serves it.
  BundledAgent(const std::filesystem::path& database, const UserPlugins& user_plugins,
               bool with_router, BrainOptions options = {},
               std::chrono::seconds conversation_expiry = std::chrono::minutes(30));

  // Skills' memory and the router's learning live here, so they survive restarts.
  std::shared_ptr<memory::Store> store;
  std::shared_ptr<Agent> agent;
  plugins::PluginHost plugins;
};

}  // namespace requip::cli

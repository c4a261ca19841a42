#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "requip/core/agent.hpp"
#include "requip/plugins/isolation.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

namespace requip::plugins {

namespace detail {
class FolderWatcher;
}

// A folder of plugins, and where the plugins in it run.
struct PluginFolder {
  PluginFolder(std::filesystem::path path, Isolation isolation = Isolation::in_process)
      : path(std::move(path)), isolation(isolation) {}
  std::filesystem::path path;
  Isolation isolation;
};

struct PluginHostOptions {
  // Scanned in order: a plugin in a later folder replaces a same-named one from an earlier.
  std::vector<PluginFolder> folders;
  // Reload live when a library in a folder is written, renamed in, or deleted.
  bool watch = true;
  int quarantine_after = 3;
  ProcessLimits limits{};  // of the host processes of plugins run out of process
};

// One plugin file as the host sees it.
struct PluginStatus {
  std::filesystem::path file;
  std::optional<PluginInfo> info;  // set while the file's skill is serving
  Isolation isolation = Isolation::in_process;
  bool quarantined = false;
  std::string problem;  // why the file was refused; the previous version, if any, still serves
};

// Keeps an agent's skills in step with the plugin folders. A watcher thread loads and checks
// changed libraries as they arrive (a probe instance is made and dropped); apply_pending()
// puts them in the agent, and each conversation swaps its own instance at its next turn
// boundary, the old instance handing its state to the new (save/restore hooks). Turns in
// flight finish on the old code, which stays loaded while any instance of it lives. A
// library that fails its checks leaves the previous version serving. Thread-safe.
//
// Installing by rename (write elsewhere, then mv into the folder) is atomic; a file written
// in place is picked up when its writer closes it.
class PluginHost {
 public:
  // Throws std::runtime_error naming a folder that cannot be watched.
  PluginHost(Agent& agent, PluginHostOptions options);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;
  ~PluginHost();

  // Loads every library in the folders now and unloads skills whose file is gone. Returns one
  // line per change or refusal.
  std::vector<std::string> rescan();
  // Applies the changes the watcher prepared; one line per change or refusal.
  std::vector<std::string> apply_pending();

  std::vector<PluginStatus> status() const;
  const std::vector<PluginFolder>& folders() const { return options_.folders; }

 private:
  struct Prepared {
    std::filesystem::path file;
    std::optional<LoadedPlugin> plugin;  // none for a removal or a refusal
    std::string problem;
    bool removed = false;
  };

  struct Serving {
    LoadedPlugin plugin;
    std::shared_ptr<PluginHealth> health;
  };

  Prepared prepare(const std::filesystem::path& file) const;
  Isolation isolation_of(const std::filesystem::path& file) const;
  void apply(Prepared prepared, std::vector<std::string>& report);
  void unload(const std::filesystem::path& file, std::vector<std::string>& report);

  Agent& agent_;
  PluginHostOptions options_;
  mutable std::mutex mutex_;  // serving_ and refused_
  std::map<std::filesystem::path, Serving> serving_;
  std::map<std::filesystem::path, std::string> refused_;

  std::mutex pending_mutex_;
  std::vector<Prepared> pending_;                   // filled by the watcher thread
  std::unique_ptr<detail::FolderWatcher> watcher_;  // last: stops before the rest goes
};

}  // namespace requip::plugins

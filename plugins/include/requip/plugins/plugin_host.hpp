#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "requip/core/brain.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

namespace requip::plugins {

namespace detail {
class FolderWatcher;
}

struct PluginHostOptions {
  // Scanned in order: a plugin in a later folder replaces a same-named one from an earlier.
  std::vector<std::filesystem::path> folders;
  // Reload live when a library in a folder is written, renamed in, or deleted.
  bool watch = true;
  int quarantine_after = 3;
};

// One plugin file as the host sees it.
struct PluginStatus {
  std::filesystem::path file;
  std::optional<PluginInfo> info;  // set while the file's skill is serving
  bool quarantined = false;
  std::string problem;  // why the file was refused; the previous version, if any, still serves
};

// Keeps a brain's skills in step with the plugin folders. A watcher thread loads and checks
// changed libraries as they arrive; the swap into the brain happens in apply_pending(), which
// the thread that runs the brain's turns calls between turns, because a Brain is not
// thread-safe. A swapped skill receives its predecessor's state (save/restore hooks); turns
// already queued finish on the old code, which stays loaded until they are done. A library
// that fails its checks leaves the previous version serving.
//
// Installing by rename (write elsewhere, then mv into the folder) is atomic; a file written
// in place is picked up when its writer closes it.
class PluginHost {
 public:
  // Throws std::runtime_error naming a folder that cannot be watched.
  PluginHost(Brain& brain, PluginHostOptions options);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;
  ~PluginHost();

  // Loads every library in the folders now and unloads skills whose file is gone. Returns one
  // line per change or refusal. Call it on the thread that runs turns.
  std::vector<std::string> rescan();
  // Applies the changes the watcher prepared; one line per change or refusal. Call it between
  // turns, on the thread that runs them.
  std::vector<std::string> apply_pending();

  std::vector<PluginStatus> status() const;
  const std::vector<std::filesystem::path>& folders() const { return options_.folders; }

 private:
  struct Prepared {
    std::filesystem::path file;
    std::optional<LoadedPlugin> plugin;  // none for a removal or a refusal
    std::string problem;
    bool removed = false;
  };

  Prepared prepare(const std::filesystem::path& file) const;
  void apply(Prepared prepared, std::vector<std::string>& report);
  void unload(const std::filesystem::path& file, std::vector<std::string>& report);
  // Drops a replaced skill; its library is unloaded off the thread that runs turns.
  void retire(std::shared_ptr<PluginSkill> skill);

  Brain& brain_;
  PluginHostOptions options_;
  std::map<std::filesystem::path, std::shared_ptr<PluginSkill>> serving_;
  std::map<std::filesystem::path, std::string> refused_;

  std::mutex pending_mutex_;
  std::vector<Prepared> pending_;                   // filled by the watcher thread
  std::unique_ptr<detail::FolderWatcher> watcher_;  // last: stops before the rest goes
};

}  // namespace requip::plugins

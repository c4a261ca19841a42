#include "requip/plugins/plugin_host.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "folder_watcher.hpp"
#include "requip/core/detail/library_log.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace requip::plugins {

namespace {

std::vector<std::filesystem::path> libraries_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".so" && entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void note(std::vector<std::string>& report, std::string line, bool problem) {
  if (problem) {
    requip::detail::library_log().warn("{}", line);
  } else {
    requip::detail::library_log().info("{}", line);
  }
  report.push_back(std::move(line));
}

}  // namespace

PluginHost::PluginHost(Agent& agent, PluginHostOptions options)
    : agent_(agent), options_(std::move(options)) {
  if (!options_.watch) return;
  std::vector<std::filesystem::path> watched;
  for (const auto& folder : options_.folders)
    watched.push_back(folder.path);
  watcher_ = std::make_unique<detail::FolderWatcher>(
      watched, [this](const std::filesystem::path& file, detail::FolderWatcher::Change change) {
        // Loading and checking happen here, off the thread that runs turns.
        Prepared prepared = change == detail::FolderWatcher::Change::removed
                                ? Prepared{file, std::nullopt, {}, true}
                                : prepare(file);
        std::lock_guard lock(pending_mutex_);
        pending_.push_back(std::move(prepared));
      });
}

PluginHost::~PluginHost() {
  watcher_.reset();
}

Isolation PluginHost::isolation_of(const std::filesystem::path& file) const {
  for (const auto& folder : options_.folders) {
    if ((folder.path / "").lexically_normal() == (file.parent_path() / "").lexically_normal()) {
      return folder.isolation;
    }
  }
  return Isolation::in_process;
}

PluginHost::Prepared PluginHost::prepare(const std::filesystem::path& file) const {
  try {
    LoadedPlugin plugin = load_plugin(file, isolation_of(file), options_.limits);
    plugin.create();  // a plugin that cannot make an instance is refused here, not per turn
    return {file, std::move(plugin), {}, false};
  } catch (const PluginError& error) {
    return {file, std::nullopt, error.what(), false};
  }
}

std::vector<std::string> PluginHost::rescan() {
  {
    std::lock_guard lock(pending_mutex_);
    pending_.clear();  // the scan below covers whatever the watcher had seen
  }
  std::lock_guard lock(mutex_);
  std::vector<std::string> report;
  std::vector<std::filesystem::path> present;
  for (const auto& folder : options_.folders) {
    for (auto& file : libraries_in(folder.path)) {
      apply(prepare(file), report);
      present.push_back(std::move(file));
    }
  }
  std::vector<std::filesystem::path> gone;
  for (const auto& [file, skill] : serving_) {
    if (std::find(present.begin(), present.end(), file) == present.end()) gone.push_back(file);
  }
  for (const auto& file : gone)
    unload(file, report);
  return report;
}

std::vector<std::string> PluginHost::apply_pending() {
  std::vector<Prepared> batch;
  {
    std::lock_guard lock(pending_mutex_);
    batch.swap(pending_);
  }
  std::lock_guard lock(mutex_);
  std::vector<std::string> report;
  for (auto& prepared : batch)
    apply(std::move(prepared), report);
  return report;
}

void PluginHost::apply(Prepared prepared, std::vector<std::string>& report) {
  const std::filesystem::path& file = prepared.file;
  if (prepared.removed) {
    unload(file, report);
    return;
  }
  const bool was_serving = serving_.count(file) > 0;
  const char* outcome = was_serving ? "; the previous version keeps serving" : "";
  if (!prepared.plugin) {
    refused_[file] = prepared.problem;
    note(report, fmt::format("{}{}", prepared.problem, outcome), true);
    return;
  }
  const PluginInfo& info = prepared.plugin->info();
  if (was_serving && serving_.at(file).plugin.info().name != info.name) {
    agent_.remove(serving_.at(file).plugin.info().name);
  }
  auto health = std::make_shared<PluginHealth>();
  // A same-named skill is replaced: each conversation hands its instance's state over.
  agent_.add(prepared.plugin->factory(
      {options_.quarantine_after, [&agent = agent_] { return agent.catalog()->skills; }, health}));
  refused_.erase(file);
  note(report,
       fmt::format("{} skill '{}' {} from {}", was_serving ? "reloaded" : "loaded", info.name,
                   info.version, file.string()),
       false);
  serving_.insert_or_assign(file, Serving{std::move(*prepared.plugin), std::move(health)});
}

void PluginHost::unload(const std::filesystem::path& file, std::vector<std::string>& report) {
  refused_.erase(file);
  auto found = serving_.find(file);
  if (found == serving_.end()) return;
  // A compiler or copier that recreates the file deletes it first; the write that follows
  // replaces the skill with its state, so there is nothing to unload.
  std::error_code ignored;
  if (std::filesystem::exists(file, ignored)) return;
  const std::string name = found->second.plugin.info().name;
  agent_.remove(name);
  serving_.erase(found);
  note(report, fmt::format("unloaded skill '{}': {} was removed", name, file.string()), false);
}

std::vector<PluginStatus> PluginHost::status() const {
  std::lock_guard lock(mutex_);
  std::map<std::filesystem::path, PluginStatus> by_file;
  for (const auto& [file, serving] : serving_) {
    by_file[file] = {
        file, serving.plugin.info(), serving.plugin.isolation(), serving.health->quarantined(), {}};
  }
  for (const auto& [file, problem] : refused_) {
    by_file[file].file = file;
    by_file[file].problem = problem;
  }
  std::vector<PluginStatus> result;
  for (auto& [file, status] : by_file)
    result.push_back(std::move(status));
  return result;
}

}  // namespace requip::plugins

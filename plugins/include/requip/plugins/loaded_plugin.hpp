#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "requip/core/skill.hpp"
#include "requip/core/skill_factory.hpp"
#include "requip/plugin_abi.h"
#include "requip/plugins/isolation.hpp"

namespace requip::plugins {

namespace detail {
class PluginCode;
}

class PluginSkill;

// What a plugin declares about itself, read from its descriptor.
struct PluginInfo {
  std::filesystem::path file;
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> examples;
  std::string min_host_version;
  SkillKind kind = SkillKind::regular;
  std::uint16_t abi_major = 0;
  std::uint16_t abi_minor = 0;
};

// How one plugin file is faring, shared by every instance made from it: a plugin that keeps
// failing is quarantined in every conversation at once.
class PluginHealth {
 public:
  // Counts a failure; returns whether the plugin is now quarantined.
  bool fail(std::string reason, int quarantine_after);
  void succeed();
  bool quarantined() const;
  int consecutive_failures() const;
  std::string last_failure() const;

 private:
  mutable std::mutex mutex_;
  int failures_ = 0;
  bool quarantined_ = false;
  std::string last_failure_;
};

// How a host treats the skills it creates from plugins.
struct SkillPolicy {
  // Consecutive failing hooks after which a plugin stops being called.
  int quarantine_after = 3;
  // The skills of the agent, for plugins that list them (callback_skills).
  std::function<std::vector<std::shared_ptr<const SkillFactory>>()> agent_skills;
  // Shared by the instances of one file; LoadedPlugin::create makes one when none is given.
  std::shared_ptr<PluginHealth> health;
};

// A library that passed every check: the ABI version, the descriptor's size, the host
// version and the hooks. It stays loaded (in process, or in its host process) while this
// object, or any skill or algorithm created from it, is alive.
class LoadedPlugin {
 public:
  const PluginInfo& info() const { return info_; }
  Isolation isolation() const;
  // The hooks as this host's ABI lays them out: the plugin's own in process, calls to its
  // host process out of process. A hook the plugin lacks is NULL.
  const requip_plugin_descriptor& descriptor() const;
  const detail::PluginCode& code() const { return *code_; }

  // A new skill instance. Throws PluginError naming the file if the plugin fails to create it.
  std::shared_ptr<PluginSkill> create(SkillPolicy policy = {}) const;
  // What an agent needs to make an instance per conversation; the factory keeps the library
  // loaded.
  SkillFactory factory(SkillPolicy policy) const;

 private:
  friend LoadedPlugin load_plugin(const std::filesystem::path&, Isolation, ProcessLimits);
  LoadedPlugin(std::shared_ptr<const detail::PluginCode> code, PluginInfo info);

  std::shared_ptr<const detail::PluginCode> code_;
  PluginInfo info_;
};

// Loads and checks a plugin file, creating nothing: in this process, or in a host process
// started for it. Throws PluginError with a one-line reason naming the file (both versions
// for a version mismatch).
LoadedPlugin load_plugin(const std::filesystem::path& file,
                         Isolation isolation = Isolation::in_process, ProcessLimits limits = {});

}  // namespace requip::plugins

#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "requip/core/skill.hpp"
#include "requip/plugins/loaded_plugin.hpp"

// Defined by the host; opaque to plugins (see plugin_abi.h).
struct requip_host_context;

namespace requip::plugins {

// The host's side of one plugin skill instance: a requip::Skill whose hooks call into the
// plugin through its descriptor. A hook that fails is reported by throwing, so the brain
// contains and reports it; after SkillPolicy::quarantine_after consecutive failures the
// skill is quarantined and no longer called. Hooks the brain does not contain (attach,
// detach, save and restore of state) never throw: their failures are logged and counted.
class PluginSkill final : public Skill {
 public:
  // Use LoadedPlugin::create().
  PluginSkill(LoadedPlugin plugin, SkillPolicy policy);
  ~PluginSkill() override;

  std::string name() const override { return plugin_.info().name; }
  std::string version() const override { return plugin_.info().version; }
  std::string description() const override { return plugin_.info().description; }
  SkillKind kind() const override { return plugin_.info().kind; }
  std::vector<std::string> examples() const override { return plugin_.info().examples; }

  std::optional<Algorithm> input(const Stimulus& stimulus) override;
  std::optional<Algorithm> tick() override;
  std::optional<Algorithm> follow_up(std::string_view topic, const Stimulus& stimulus) override;
  void on_attach() override;
  void on_detach() override;
  std::string save_state() const override;
  void restore_state(std::string_view state) override;

  const PluginInfo& info() const { return plugin_.info(); }
  bool quarantined() const { return policy_.health->quarantined(); }
  int consecutive_failures() const { return policy_.health->consecutive_failures(); }
  std::string last_failure() const { return policy_.health->last_failure(); }

 private:
  struct InstanceDeleter {
    LoadedPlugin plugin;  // keeps the library loaded until the instance is gone
    void operator()(requip_plugin_instance* instance) const;
  };

  // Has an instance, and is not quarantined: a quarantined plugin is called no more.
  bool callable() const { return instance_ && !quarantined(); }
  std::optional<Algorithm> settle(const char* hook, requip_status status, const std::string& error,
                                  requip_answer answer);
  // Counts a failure; returns the line that reports it (saying so when it quarantines).
  std::string count_failure(const char* hook, const std::string& reason);
  Algorithm adopt(requip_answer answer) const;

  LoadedPlugin plugin_;
  SkillPolicy policy_;
  // Shared with the steps of its answers, which call back into the plugin after input returns.
  std::shared_ptr<requip_host_context> context_;
  std::unique_ptr<requip_plugin_instance, InstanceDeleter> instance_;
};

}  // namespace requip::plugins

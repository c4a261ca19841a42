#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "host_process.hpp"
#include "host_protocol.hpp"
#include "plugin_code.hpp"
#include "requip/plugins/loaded_plugin.hpp"

namespace requip::plugins::detail {

// A plugin loaded and checked in a host process of its own (IsolatedCode, below). Throws
// PluginError naming the file, as load_plugin does.
std::pair<std::shared_ptr<const PluginCode>, PluginInfo> isolated_code(
    const std::filesystem::path& file, ProcessLimits limits);

class IsolatedCode;

// What the agent's side knows of an instance living in a host.
struct RemoteInstance {
  const IsolatedCode* code;
  std::uint64_t id;
  requip_host_context* context;
  std::uint64_t generation = 0;  // of the host it lives in
  std::string handed_state;      // what the last swap handed it: it survives a crash
  bool attached = false;
};

struct RemoteAlgorithm {
  const IsolatedCode* code;
  std::uint64_t id;  // 0: nothing left in the host
  std::uint64_t generation;
  requip_host_context* context;
  std::optional<protocol::Message> first;  // the first step's result, run with the answer
};

// A running host, and which one it is.
struct Host {
  std::shared_ptr<HostProcess> process;
  std::uint64_t generation = 0;
};

// A plugin run out of process: every hook is a call to its host process. When the host ends
// under a call (a crash, a kill at a turn's deadline, its memory limit) that call fails
// naming how; the next call starts a new host, where each conversation's instance is made
// again with the state it was last handed and told what it lost. After three ends in 60 s
// the plugin is quarantined.
class IsolatedCode final : public PluginCode {
 public:
  IsolatedCode(std::filesystem::path file, ProcessLimits limits)
      : file_(std::move(file)), limits_(limits) {}

  PluginInfo describe();

  Isolation isolation() const override { return Isolation::process; }
  const requip_plugin_descriptor& hooks() const override { return hooks_; }
  requip_plugin_instance* create(requip_host_context* context,
                                 requip_host_text* error) const override;
  std::string quarantine_reason() const override;
  void abandon_calls() const override;

  // A call for `instance` in the running host; an instance whose host ended is made again
  // there first. nullopt, with `error` set, when nothing answered.
  std::optional<protocol::Message> call(RemoteInstance& instance, protocol::Message request,
                                        requip_host_text* error) const;
  // A call for an algorithm: one made by a host that has since ended is lost.
  std::optional<protocol::Message> call(RemoteAlgorithm& algorithm, protocol::Message request,
                                        requip_host_text* error) const;
  // A call with no answer, to the host of that generation if it still runs.
  void notify(std::uint64_t generation, const protocol::Message& request) const;

 private:
  PluginInfo describe(const protocol::Message& answer);
  std::optional<Host> running(std::string& why_not) const;
  std::optional<Host> current() const;
  std::optional<protocol::Message> call_in(const Host& host, protocol::Message request,
                                           requip_host_context* context,
                                           requip_host_text* error) const;
  bool start(RemoteInstance& instance, const Host& host, requip_host_text* error) const;
  // After a call found its host gone: how it ended, counted once per host.
  std::string lost(const Host& host) const;

  std::filesystem::path file_;
  ProcessLimits limits_;
  requip_plugin_descriptor hooks_{};
  mutable std::atomic<std::uint64_t> next_instance_{1};
  mutable std::mutex mutex_;  // everything below
  mutable std::shared_ptr<HostProcess> process_;
  mutable std::uint64_t generation_ = 0;
  mutable std::deque<protocol::Clock::time_point> ends_;  // within the window
  mutable std::string last_end_;
  mutable protocol::Clock::time_point restart_at_{};
  mutable std::string quarantined_;
};

// The status a host's answer reports; when it failed, its reason goes into `error`.
requip_status status_of(const protocol::Message& answer, requip_host_text* error);

// The hooks a PluginSkill calls for a plugin out of process, each one a call to its host:
// those the plugin has (its host named them), the rest NULL.
requip_plugin_descriptor remote_hooks(const protocol::Message& hook_names);

}  // namespace requip::plugins::detail

#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "host_protocol.hpp"
#include "requip/plugins/loaded_plugin.hpp"

namespace requip::plugins::host {

// The host process's side of host_protocol.hpp: one plugin, loaded here, serving its agent's
// calls. Each channel has a thread of its own; the plugin's callbacks go back to the agent on
// the channel whose call is running.
class HostedPlugin {
 public:
  // `plugin` is empty when loading failed; then `problem` says why, and describe says so.
  HostedPlugin(std::optional<LoadedPlugin> plugin, std::string problem);

  // Answers the calls on one channel until it closes.
  void serve(int channel);

 private:
  // Its address is the instance's context: distinct per instance, as the ABI promises.
  struct Instance {
    requip_plugin_instance* handle = nullptr;
  };
  protocol::Message answer(const protocol::Message& call);
  protocol::Message describe() const;
  protocol::Message create(std::uint64_t id);
  protocol::Message run_hook(const std::string& op, requip_plugin_instance* instance,
                             const protocol::Message& call);
  protocol::Message step(std::uint64_t id);
  protocol::Message step(requip_plugin_algorithm* algorithm);
  protocol::Message with_answer(requip_status status, const std::string& error,
                                const requip_answer& answer);
  requip_plugin_instance* instance(std::uint64_t id);
  void destroy(std::uint64_t id);
  void drop(std::uint64_t id);

  std::optional<LoadedPlugin> plugin_;
  std::string problem_;
  std::mutex mutex_;  // the tables below
  std::unordered_map<std::uint64_t, std::unique_ptr<Instance>> instances_;
  std::unordered_map<std::uint64_t, requip_plugin_algorithm*> algorithms_;
  std::uint64_t next_algorithm_ = 1;
};

}  // namespace requip::plugins::host

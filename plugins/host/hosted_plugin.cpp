#include "hosted_plugin.hpp"

#include <cstdlib>

#include "forwarded_callbacks.hpp"
#include "host_api.hpp"

namespace requip::plugins::host {

using plugins::detail::to_c;
using protocol::Message;

namespace {

// A plugin's callbacks name the context its instance was made with; here every callback goes
// to the agent on the calling channel, so the context only needs to be distinct.
requip_host_context* context_of(void* instance) {
  return reinterpret_cast<requip_host_context*>(instance);
}

Message status_only(requip_status status, const std::string& error) {
  return {{"status", status}, {"error", error}};
}

const std::string& string_at(const Message& call, const char* key) {
  return call.at(key).get_ref<const std::string&>();
}

// Borrows the call's strings: valid while `call` lives.
requip_stimulus stimulus_of(const Message& call) {
  const Message& heard = call.at("stimulus");
  return {to_c(heard.at(0).get_ref<const std::string&>()),
          to_c(heard.at(1).get_ref<const std::string&>()),
          to_c(heard.at(2).get_ref<const std::string&>())};
}

}  // namespace

HostedPlugin::HostedPlugin(std::optional<LoadedPlugin> plugin, std::string problem)
    : plugin_(std::move(plugin)), problem_(std::move(problem)) {}

void HostedPlugin::serve(int channel) {
  set_calling_channel(channel);
  Message call;
  // Awake a moment after each answer: the calls of one turn (an instance made, attached and
  // given its input; a long answer's steps) come in bursts, and a sleeping thread costs more
  // to wake than the spin.
  while (protocol::read_frame(channel, call, std::nullopt, protocol::awake_between_calls) ==
         protocol::ReadEnd::read) {
    const std::string& op = string_at(call, "op");
    if (op == "destroy") {
      destroy(call.at("instance").get<std::uint64_t>());
    } else if (op == "drop") {
      drop(call.at("algorithm").get<std::uint64_t>());
    } else {
      auto emotion = call.find("emotion");
      set_calling_emotion(emotion == call.end()
                              ? std::nullopt
                              : std::optional<std::string>(emotion->get<std::string>()));
      if (!protocol::write_frame(channel, answer(call))) return;
    }
  }
}

Message HostedPlugin::answer(const Message& call) {
  const std::string& op = string_at(call, "op");
  if (op == "describe") return describe();
  if (!plugin_) return status_only(REQUIP_STATUS_FAILED, problem_);
  if (op == "create") return create(call.at("instance").get<std::uint64_t>());
  if (op == "step") return step(call.at("algorithm").get<std::uint64_t>());
  requip_plugin_instance* target = instance(call.at("instance").get<std::uint64_t>());
  if (!target) return status_only(REQUIP_STATUS_FAILED, "no such instance in this host");
  return run_hook(op, target, call);
}

Message HostedPlugin::describe() const {
  if (!plugin_) return {{"ok", false}, {"error", problem_}};
  const PluginInfo& info = plugin_->info();
  const requip_plugin_descriptor& d = plugin_->descriptor();
  Message hooks = Message::array();
  auto has = [&](bool present, const char* name) {
    if (present) hooks.push_back(name);
  };
  has(d.on_attach, "on_attach");
  has(d.on_detach, "on_detach");
  has(d.on_input, "on_input");
  has(d.on_tick, "on_tick");
  has(d.on_follow_up, "on_follow_up");
  has(d.on_save_state, "on_save_state");
  has(d.on_restore_state, "on_restore_state");
  return {
      {"ok", true},
      {"name", info.name},
      {"version", info.version},
      {"description", info.description},
      {"examples", info.examples},
      {"min_host_version", info.min_host_version},
      {"kind", info.kind == SkillKind::continuous ? REQUIP_SKILL_CONTINUOUS : REQUIP_SKILL_REGULAR},
      {"abi_major", info.abi_major},
      {"abi_minor", info.abi_minor},
      {"descriptor_size", d.struct_size},
      {"hooks", hooks}};
}

Message HostedPlugin::create(std::uint64_t id) {
  auto made = std::make_unique<Instance>();
  requip_host_text error;
  made->handle =
      plugin_->descriptor().on_create(&forwarded_host_api(), context_of(made.get()), &error);
  if (!made->handle) return status_only(REQUIP_STATUS_FAILED, error.value);
  std::lock_guard lock(mutex_);
  instances_[id] = std::move(made);
  return status_only(REQUIP_STATUS_OK, {});
}

Message HostedPlugin::run_hook(const std::string& op, requip_plugin_instance* target,
                               const Message& call) {
  const requip_plugin_descriptor& d = plugin_->descriptor();
  requip_host_text error;
  requip_answer answered{};
  if (op == "input") {
    const requip_stimulus heard = stimulus_of(call);
    return with_answer(d.on_input(target, &heard, &answered, &error), error.value, answered);
  }
  if (op == "follow_up") {
    const requip_stimulus heard = stimulus_of(call);
    const requip_status status =
        d.on_follow_up(target, to_c(string_at(call, "topic")), &heard, &answered, &error);
    return with_answer(status, error.value, answered);
  }
  if (op == "tick") return with_answer(d.on_tick(target, &answered, &error), error.value, answered);
  if (op == "attach") return status_only(d.on_attach(target, &error), error.value);
  if (op == "detach") return status_only(d.on_detach(target, &error), error.value);
  if (op == "save_state") {
    requip_host_text state;
    Message saved = status_only(d.on_save_state(target, &state, &error), error.value);
    saved["state"] = std::move(state.value);
    return saved;
  }
  if (op == "restore_state") {
    return status_only(d.on_restore_state(target, to_c(string_at(call, "state")), &error),
                       error.value);
  }
  return status_only(REQUIP_STATUS_FAILED, "no such call: " + op);
}

// The answer's first step runs at once and goes with it: a one-step answer, the usual kind,
// then costs one round trip, and the algorithm is freed here. A longer one stays, and the
// agent gets its number.
Message HostedPlugin::with_answer(requip_status status, const std::string& error,
                                  const requip_answer& answer) {
  Message result = status_only(status, error);
  const requip_plugin_descriptor& d = plugin_->descriptor();
  std::uint64_t id = 0;
  if (answer.algorithm && status != REQUIP_STATUS_OK) {
    d.on_algorithm_destroy(answer.algorithm);
  } else if (answer.algorithm) {
    Message first = step(answer.algorithm);
    if (answer.steps <= 1 || first.at("abort").get<bool>() ||
        first.at("status").get<requip_status>() != REQUIP_STATUS_OK) {
      d.on_algorithm_destroy(answer.algorithm);
    } else {
      std::lock_guard lock(mutex_);
      id = next_algorithm_++;
      algorithms_[id] = answer.algorithm;
    }
    result["first"] = std::move(first);
  }
  result["algorithm"] = id;
  result["steps"] = answer.steps;
  result["priority"] = answer.priority;
  return result;
}

Message HostedPlugin::step(std::uint64_t id) {
  requip_plugin_algorithm* algorithm = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (auto found = algorithms_.find(id); found != algorithms_.end()) algorithm = found->second;
  }
  if (!algorithm) return status_only(REQUIP_STATUS_FAILED, "no such algorithm in this host");
  return step(algorithm);
}

Message HostedPlugin::step(requip_plugin_algorithm* algorithm) {
  requip_host_text line, error;
  bool has_line = false;
  requip_step_outcome outcome = REQUIP_STEP_CONTINUE;
  Message result = status_only(
      plugin_->descriptor().on_algorithm_step(algorithm, &line, &has_line, &outcome, &error),
      error.value);
  if (has_line) result["line"] = std::move(line.value);
  result["abort"] = outcome == REQUIP_STEP_ABORT;
  return result;
}

requip_plugin_instance* HostedPlugin::instance(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto found = instances_.find(id);
  return found == instances_.end() ? nullptr : found->second->handle;
}

void HostedPlugin::destroy(std::uint64_t id) {
  std::unique_ptr<Instance> gone;
  {
    std::lock_guard lock(mutex_);
    auto found = instances_.find(id);
    if (found == instances_.end()) return;
    gone = std::move(found->second);
    instances_.erase(found);
  }
  plugin_->descriptor().on_destroy(gone->handle);
}

void HostedPlugin::drop(std::uint64_t id) {
  requip_plugin_algorithm* algorithm = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto found = algorithms_.find(id);
    if (found == algorithms_.end()) return;
    algorithm = found->second;
    algorithms_.erase(found);
  }
  plugin_->descriptor().on_algorithm_destroy(algorithm);
}

}  // namespace requip::plugins::host

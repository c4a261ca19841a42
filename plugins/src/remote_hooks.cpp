// The hooks of a plugin run out of process, as a PluginSkill calls them: each one a call to
// the plugin's host process, through IsolatedCode.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "host_api.hpp"
#include "isolated_code.hpp"

namespace requip::plugins::detail {

using protocol::Message;

requip_status status_of(const Message& answer, requip_host_text* error) {
  const auto status = answer.value("status", REQUIP_STATUS_FAILED);
  if (status != REQUIP_STATUS_OK) error->value = answer.value("error", std::string());
  return status;
}

namespace {

RemoteInstance& remote(requip_plugin_instance* instance) {
  return *reinterpret_cast<RemoteInstance*>(instance);
}
RemoteAlgorithm& remote(requip_plugin_algorithm* algorithm) {
  return *reinterpret_cast<RemoteAlgorithm*>(algorithm);
}

Message stimulus_of(const requip_stimulus* stimulus) {
  return Message::array({std::string(to_view(stimulus->ear)), std::string(to_view(stimulus->skin)),
                         std::string(to_view(stimulus->eye))});
}

requip_status answered(RemoteInstance& instance, const std::optional<Message>& answer,
                       requip_answer* out, requip_host_text* error) {
  if (!answer) return REQUIP_STATUS_FAILED;
  const requip_status status = status_of(*answer, error);
  const auto id = answer->value("algorithm", std::uint64_t{0});
  auto first = answer->find("first");
  if (status == REQUIP_STATUS_OK && first != answer->end()) {
    out->algorithm = reinterpret_cast<requip_plugin_algorithm*>(new RemoteAlgorithm{
        instance.code, id, instance.generation, instance.context, std::move(*first)});
    out->steps = answer->value("steps", std::uint32_t{0});
    out->priority = answer->value("priority", std::int32_t{0});
  }
  return status;
}

requip_status status_or_failed(const std::optional<Message>& answer, requip_host_text* error) {
  return answer ? status_of(*answer, error) : REQUIP_STATUS_FAILED;
}

void remote_destroy(requip_plugin_instance* instance) {
  std::unique_ptr<RemoteInstance> gone(&remote(instance));
  gone->code->notify(gone->generation, {{"op", "destroy"}, {"instance", gone->id}});
}

requip_status remote_attach(requip_plugin_instance* instance, requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  auto answer = target.code->call(target, {{"op", "attach"}}, error);
  target.attached = true;  // after: an instance made again inside the call is attached by it
  return status_or_failed(answer, error);
}

requip_status remote_detach(requip_plugin_instance* instance, requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  target.attached = false;
  return status_or_failed(target.code->call(target, {{"op", "detach"}}, error), error);
}

requip_status remote_input(requip_plugin_instance* instance, const requip_stimulus* stimulus,
                           requip_answer* answer, requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  return answered(
      target,
      target.code->call(target, {{"op", "input"}, {"stimulus", stimulus_of(stimulus)}}, error),
      answer, error);
}

requip_status remote_tick(requip_plugin_instance* instance, requip_answer* answer,
                          requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  return answered(target, target.code->call(target, {{"op", "tick"}}, error), answer, error);
}

requip_status remote_follow_up(requip_plugin_instance* instance, requip_string topic,
                               const requip_stimulus* stimulus, requip_answer* answer,
                               requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  Message request{{"op", "follow_up"},
                  {"topic", std::string(to_view(topic))},
                  {"stimulus", stimulus_of(stimulus)}};
  return answered(target, target.code->call(target, std::move(request), error), answer, error);
}

requip_status remote_step(requip_plugin_algorithm* algorithm, requip_host_text* line,
                          bool* has_line, requip_step_outcome* outcome, requip_host_text* error) {
  RemoteAlgorithm& target = remote(algorithm);
  auto answer = target.first ? std::exchange(target.first, std::nullopt)
                             : target.code->call(target, {{"op", "step"}}, error);
  if (!answer) return REQUIP_STATUS_FAILED;
  if (auto said = answer->find("line"); said != answer->end()) {
    line->value = said->get<std::string>();
    *has_line = true;
  }
  if (answer->value("abort", false)) *outcome = REQUIP_STEP_ABORT;
  return status_of(*answer, error);
}

void remote_algorithm_destroy(requip_plugin_algorithm* algorithm) {
  std::unique_ptr<RemoteAlgorithm> gone(&remote(algorithm));
  if (gone->id != 0)
    gone->code->notify(gone->generation, {{"op", "drop"}, {"algorithm", gone->id}});
}

requip_status remote_save_state(requip_plugin_instance* instance, requip_host_text* state,
                                requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  auto answer = target.code->call(target, {{"op", "save_state"}}, error);
  if (!answer) return REQUIP_STATUS_FAILED;
  state->value = answer->value("state", std::string());
  return status_of(*answer, error);
}

requip_status remote_restore_state(requip_plugin_instance* instance, requip_string state,
                                   requip_host_text* error) {
  RemoteInstance& target = remote(instance);
  auto answer = target.code->call(
      target, {{"op", "restore_state"}, {"state", std::string(to_view(state))}}, error);
  target.handed_state.assign(to_view(state));  // after: one made again inside has it already
  return status_or_failed(answer, error);
}

}  // namespace

requip_plugin_descriptor remote_hooks(const Message& hook_names) {
  requip_plugin_descriptor hooks{};
  hooks.on_destroy = &remote_destroy;
  hooks.on_algorithm_step = &remote_step;
  hooks.on_algorithm_destroy = &remote_algorithm_destroy;
  for (const auto& hook : hook_names) {
    const std::string& name = hook.get_ref<const std::string&>();
    if (name == "on_attach") hooks.on_attach = &remote_attach;
    if (name == "on_detach") hooks.on_detach = &remote_detach;
    if (name == "on_input") hooks.on_input = &remote_input;
    if (name == "on_tick") hooks.on_tick = &remote_tick;
    if (name == "on_follow_up") hooks.on_follow_up = &remote_follow_up;
    if (name == "on_save_state") hooks.on_save_state = &remote_save_state;
    if (name == "on_restore_state") hooks.on_restore_state = &remote_restore_state;
  }
  return hooks;
}

}  // namespace requip::plugins::detail

#include "isolated_code.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "host_api.hpp"
#include "host_process.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace requip::plugins::detail {

namespace {

using protocol::Message;
using Clock = std::chrono::steady_clock;

constexpr std::size_t ends_to_quarantine = 3;
constexpr auto ends_window = std::chrono::seconds(60);
constexpr auto load_timeout = std::chrono::seconds(10);
// Calls of different conversations run in parallel up to this many per plugin.
constexpr unsigned channels_per_host = 4;

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
  std::optional<Message> first;  // the first step's result, run with the answer
};

RemoteInstance& remote(requip_plugin_instance* instance) {
  return *reinterpret_cast<RemoteInstance*>(instance);
}
RemoteAlgorithm& remote(requip_plugin_algorithm* algorithm) {
  return *reinterpret_cast<RemoteAlgorithm*>(algorithm);
}

struct Host {
  std::shared_ptr<HostProcess> process;
  std::uint64_t generation = 0;
};

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
  std::optional<Message> call(RemoteInstance& instance, Message request,
                              requip_host_text* error) const;
  // A call for an algorithm: one made by a host that has since ended is lost.
  std::optional<Message> call(RemoteAlgorithm& algorithm, Message request,
                              requip_host_text* error) const;
  // A call with no answer, to the host of that generation if it still runs.
  void notify(std::uint64_t generation, const Message& request) const;

 private:
  PluginInfo describe(const Message& answer);
  std::optional<Host> running(std::string& why_not) const;
  std::optional<Host> current() const;
  std::optional<Message> call_in(const Host& host, Message request, requip_host_context* context,
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
  mutable std::deque<Clock::time_point> ends_;  // within the window
  mutable std::string last_end_;
  mutable Clock::time_point restart_at_{};
  mutable std::string quarantined_;
};

// Callbacks of the plugin, answered with the host's own table (host_api.hpp) for the
// instance's context: memory, emotion and questions reach the conversation as in process.
void receive_one(void* user, requip_string value) {
  static_cast<std::optional<std::string>*>(user)->emplace(to_view(value));
}
void receive_each(void* user, requip_string value) {
  static_cast<std::vector<std::string>*>(user)->emplace_back(to_view(value));
}
void receive_skill(void* user, const requip_skill_info* skill) {
  static_cast<Message*>(user)->push_back(Message::array(
      {std::string(to_view(skill->name)), std::string(to_view(skill->version)),
       std::string(to_view(skill->description)), std::string(to_view(skill->kind))}));
}

Message answer_callback(requip_host_context* context, const Message& callback) {
  const requip_host_api& api = host_api();
  const std::string& name = callback.at("callback").get_ref<const std::string&>();
  auto text = [&](const char* key) { return to_c(callback.at(key).get_ref<const std::string&>()); };
  if (name == "memento_get") {
    std::optional<std::string> value;
    Message answer{
        {"ok", api.callback_memento_get(context, text("space"), text("key"), receive_one, &value)}};
    if (value) answer["value"] = std::move(*value);
    return answer;
  }
  if (name == "memento_put") {
    return {{"ok", api.callback_memento_put(context, text("space"), text("key"), text("value"))}};
  }
  if (name == "memento_erase") {
    bool existed = false;
    const bool ok = api.callback_memento_erase(context, text("space"), text("key"), &existed);
    return {{"ok", ok}, {"existed", existed}};
  }
  if (name == "memento_keys") {
    std::vector<std::string> keys;
    const bool ok = api.callback_memento_keys(context, text("space"), receive_each, &keys);
    return {{"ok", ok}, {"keys", std::move(keys)}};
  }
  if (name == "emotion_set") return {{"ok", api.callback_emotion_set(context, text("emotion"))}};
  if (name == "skills") {
    Message skills = Message::array();
    const bool ok = api.callback_skills(context, receive_skill, &skills);
    return {{"ok", ok}, {"skills", std::move(skills)}};
  }
  if (name == "ask_follow_up") {
    return {{"ok", api.callback_ask_follow_up(context, text("topic"),
                                              callback.at("timeout_ms").get<std::uint32_t>())}};
  }
  return {{"ok", false}};
}

// Whether an answer's fields have the types the hooks below read: the host runs the plugin's
// code, which may have written anything on its channel.
bool well_formed(const Message& answer) {
  for (const auto& [key, value] : answer.items()) {
    const bool fits = key == "status" || key == "priority"   ? value.is_number_integer()
                      : key == "algorithm" || key == "steps" ? value.is_number_unsigned()
                      : key == "error" || key == "state" || key == "line" ? value.is_string()
                      : key == "abort"                                    ? value.is_boolean()
                      : key == "first" ? value.is_object() && well_formed(value)
                                       : true;
    if (!fits) return false;
  }
  return true;
}

// The hooks a PluginSkill calls: each one a call to the host.
requip_status status_of(const Message& answer, requip_host_text* error) {
  const auto status = answer.value("status", REQUIP_STATUS_FAILED);
  if (status != REQUIP_STATUS_OK) error->value = answer.value("error", std::string());
  return status;
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

PluginInfo IsolatedCode::describe() {
  std::string why;
  const auto host = running(why);
  if (!host) throw PluginError(file_, why);
  const auto answer = host->process->call(
      {{"op", "describe"}},
      [](const Message&) {
        return Message{{"ok", false}};
      },
      Clock::now() + load_timeout);
  if (!answer) {
    throw PluginError(file_,
                      fmt::format("its host process {} while loading it", host->process->ended()));
  }
  try {
    return describe(*answer);
  } catch (const nlohmann::json::exception&) {
    throw PluginError(file_, "its host process described it in a malformed answer");
  }
}

PluginInfo IsolatedCode::describe(const Message& answer) {
  if (!answer.at("ok").get<bool>()) throw PluginError(file_, answer.at("error").get<std::string>());
  PluginInfo info;
  info.file = file_;
  info.name = answer.at("name").get<std::string>();
  info.version = answer.at("version").get<std::string>();
  info.description = answer.at("description").get<std::string>();
  info.examples = answer.at("examples").get<std::vector<std::string>>();
  info.min_host_version = answer.at("min_host_version").get<std::string>();
  info.kind = answer.at("kind").get<int>() == REQUIP_SKILL_CONTINUOUS ? SkillKind::continuous
                                                                      : SkillKind::regular;
  info.abi_major = answer.at("abi_major").get<std::uint16_t>();
  info.abi_minor = answer.at("abi_minor").get<std::uint16_t>();

  hooks_.struct_size = answer.at("descriptor_size").get<std::uint32_t>();
  hooks_.abi_major = info.abi_major;
  hooks_.abi_minor = info.abi_minor;
  hooks_.on_destroy = &remote_destroy;
  hooks_.on_algorithm_step = &remote_step;
  hooks_.on_algorithm_destroy = &remote_algorithm_destroy;
  for (const auto& hook : answer.at("hooks")) {
    const std::string& name = hook.get_ref<const std::string&>();
    if (name == "on_attach") hooks_.on_attach = &remote_attach;
    if (name == "on_detach") hooks_.on_detach = &remote_detach;
    if (name == "on_input") hooks_.on_input = &remote_input;
    if (name == "on_tick") hooks_.on_tick = &remote_tick;
    if (name == "on_follow_up") hooks_.on_follow_up = &remote_follow_up;
    if (name == "on_save_state") hooks_.on_save_state = &remote_save_state;
    if (name == "on_restore_state") hooks_.on_restore_state = &remote_restore_state;
  }
  return info;
}

requip_plugin_instance* IsolatedCode::create(requip_host_context* context,
                                             requip_host_text* error) const {
  auto made = std::make_unique<RemoteInstance>();
  *made = {this, next_instance_++, context, 0, {}, false};
  std::string why;
  const auto host = running(why);
  if (!host) {
    error->value = why;
    return nullptr;
  }
  if (!start(*made, *host, error)) return nullptr;
  return reinterpret_cast<requip_plugin_instance*>(made.release());
}

std::string IsolatedCode::quarantine_reason() const {
  std::lock_guard lock(mutex_);
  return quarantined_;
}

void IsolatedCode::abandon_calls() const {
  std::lock_guard lock(mutex_);
  if (process_) process_->kill("was killed: a call into it outlived its turn's deadline");
}

std::optional<Message> IsolatedCode::call(RemoteInstance& instance, Message request,
                                          requip_host_text* error) const {
  std::string why;
  const auto host = running(why);
  if (!host) {
    error->value = why;
    return std::nullopt;
  }
  if (instance.generation != host->generation) {
    if (!start(instance, *host, error)) return std::nullopt;
    if (instance.context->kokoro) {
      std::lock_guard lock(mutex_);
      instance.context->kokoro->notify(fmt::format(
          "skill '{}' was restarted after its host process {}: what it held in memory for this "
          "conversation is lost",
          instance.context->skill, last_end_));
    }
  }
  request["instance"] = instance.id;
  return call_in(*host, std::move(request), instance.context, error);
}

std::optional<Message> IsolatedCode::call(RemoteAlgorithm& algorithm, Message request,
                                          requip_host_text* error) const {
  const auto host = current();
  if (!host || host->generation != algorithm.generation) {
    std::lock_guard lock(mutex_);
    error->value = fmt::format("its host process {} before this answer was finished", last_end_);
    return std::nullopt;
  }
  request["algorithm"] = algorithm.id;
  return call_in(*host, std::move(request), algorithm.context, error);
}

void IsolatedCode::notify(std::uint64_t generation, const Message& request) const {
  const auto host = current();
  if (host && host->generation == generation) host->process->notify(request);
}

std::optional<Host> IsolatedCode::running(std::string& why_not) const {
  std::lock_guard lock(mutex_);
  if (!quarantined_.empty()) {
    why_not = quarantined_;
    return std::nullopt;
  }
  if (!process_) {
    std::this_thread::sleep_until(restart_at_);  // the backoff after repeated ends
    try {
      process_ =
          std::make_shared<HostProcess>(HostProcess::Options{file_, channels_per_host, limits_});
    } catch (const PluginError& error) {
      why_not = error.reason();
      return std::nullopt;
    }
    ++generation_;
  }
  return Host{process_, generation_};
}

std::optional<Host> IsolatedCode::current() const {
  std::lock_guard lock(mutex_);
  if (!process_) return std::nullopt;
  return Host{process_, generation_};
}

std::optional<Message> IsolatedCode::call_in(const Host& host, Message request,
                                             requip_host_context* context,
                                             requip_host_text* error) const {
  // The emotion travels with the call: the SDK reads it around every hook.
  if (context->kokoro) request["emotion"] = context->kokoro->emotion();
  auto answer = host.process->call(
      request, [context](const Message& callback) { return answer_callback(context, callback); });
  if (answer && !well_formed(*answer)) {
    host.process->kill("was killed: it sent a malformed answer");
    answer.reset();
  }
  if (!answer) error->value = lost(host);
  return answer;
}

bool IsolatedCode::start(RemoteInstance& instance, const Host& host,
                         requip_host_text* error) const {
  const auto made =
      call_in(host, {{"op", "create"}, {"instance", instance.id}}, instance.context, error);
  if (!made || status_of(*made, error) != REQUIP_STATUS_OK) return false;
  instance.generation = host.generation;
  // Made again after a crash: what it was handed at the last swap, and its conversation.
  requip_host_text ignored;
  if (!instance.handed_state.empty()) {
    call_in(host,
            {{"op", "restore_state"}, {"instance", instance.id}, {"state", instance.handed_state}},
            instance.context, &ignored);
  }
  if (instance.attached) {
    call_in(host, {{"op", "attach"}, {"instance", instance.id}}, instance.context, &ignored);
  }
  return true;
}

std::string IsolatedCode::lost(const Host& host) const {
  const std::string how = host.process->ended();
  std::lock_guard lock(mutex_);
  if (process_ == host.process) {  // the first call to find it gone counts it
    process_.reset();
    last_end_ = how;
    const auto now = Clock::now();
    ends_.push_back(now);
    while (now - ends_.front() > ends_window)
      ends_.pop_front();
    if (ends_.size() >= ends_to_quarantine) {
      quarantined_ = fmt::format(
          "its host process ended {} times within {} s, the last time because it {}; it is "
          "quarantined until a new file is installed",
          ends_.size(), ends_window.count(), how);
    }
    // The first restart is at once; a host that keeps ending is given a moment.
    restart_at_ = now + std::chrono::milliseconds(100) * (ends_.size() - 1);
  }
  if (!quarantined_.empty()) return quarantined_;
  return fmt::format("its host process {}; it is restarted for the next call", how);
}

}  // namespace

std::pair<std::shared_ptr<const PluginCode>, PluginInfo> isolated_code(
    const std::filesystem::path& file, ProcessLimits limits) {
  auto code = std::make_shared<IsolatedCode>(file, limits);
  PluginInfo info = code->describe();
  return {std::move(code), std::move(info)};
}

}  // namespace requip::plugins::detail

#include "isolated_code.hpp"

#include <fmt/format.h>

#include <thread>
#include <vector>

#include "host_api.hpp"
#include "host_callbacks.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace requip::plugins::detail {

using protocol::Clock;
using protocol::Message;

namespace {

constexpr std::size_t ends_to_quarantine = 3;
constexpr auto ends_window = std::chrono::seconds(60);
constexpr auto load_timeout = std::chrono::seconds(10);
// Calls of different conversations run in parallel up to this many per plugin.
constexpr unsigned channels_per_host = 4;

// Whether an answer's fields have the types the remote hooks read: the host runs the plugin's
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

}  // namespace

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

  hooks_ = remote_hooks(answer.at("hooks"));
  hooks_.struct_size = answer.at("descriptor_size").get<std::uint32_t>();
  hooks_.abi_major = info.abi_major;
  hooks_.abi_minor = info.abi_minor;
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
  auto answer = host.process->call(request, [context](const Message& callback) {
    return answer_host_callback(context, callback);
  });
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

std::pair<std::shared_ptr<const PluginCode>, PluginInfo> isolated_code(
    const std::filesystem::path& file, ProcessLimits limits) {
  auto code = std::make_shared<IsolatedCode>(file, limits);
  PluginInfo info = code->describe();
  return {std::move(code), std::move(info)};
}

}  // namespace requip::plugins::detail

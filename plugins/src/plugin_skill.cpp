#include "requip/plugins/plugin_skill.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "host_api.hpp"
#include "plugin_code.hpp"
#include "requip/core/detail/library_log.hpp"
#include "requip/core/unavailable.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace requip::plugins {

namespace {

// More steps than any real answer has; a bigger count is a plugin bug, not an allocation.
constexpr std::uint32_t max_steps = 1u << 16;

// A hook that failed because the host could not serve one of its callbacks for the moment.
class HookUnavailable final : public std::runtime_error, public Unavailable {
 public:
  explicit HookUnavailable(const std::string& reason) : std::runtime_error(reason) {}
  const char* reason() const noexcept override { return what(); }
};

// After a hook failed: throws if the failure was the host's being unavailable.
void throw_if_unavailable(requip_host_context& context) {
  if (!context.unavailable.empty()) throw HookUnavailable(std::exchange(context.unavailable, {}));
}

}  // namespace

std::shared_ptr<PluginSkill> LoadedPlugin::create(SkillPolicy policy) const {
  if (!policy.health) policy.health = std::make_shared<PluginHealth>();
  return std::make_shared<PluginSkill>(*this, std::move(policy));
}

SkillFactory LoadedPlugin::factory(SkillPolicy policy) const {
  if (!policy.health) policy.health = std::make_shared<PluginHealth>();
  const int quarantine_after = policy.quarantine_after;
  auto health = policy.health;
  return {info_.name,
          info_.version,
          info_.description,
          info_.kind,
          info_.examples,
          [plugin = *this, policy = std::move(policy)] { return plugin.create(policy); },
          [health, quarantine_after, code = code_](const std::string& reason) {
            code->abandon_calls();  // out of process, a hung call ends with its host
            health->fail(reason, quarantine_after);
          }};
}

bool PluginHealth::fail(std::string reason, int quarantine_after) {
  std::lock_guard lock(mutex_);
  ++failures_;
  last_failure_ = std::move(reason);
  if (failures_ >= quarantine_after) quarantined_ = true;
  return quarantined_;
}

void PluginHealth::succeed() {
  std::lock_guard lock(mutex_);
  failures_ = 0;
}

bool PluginHealth::quarantined() const {
  std::lock_guard lock(mutex_);
  return quarantined_;
}

int PluginHealth::consecutive_failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::string PluginHealth::last_failure() const {
  std::lock_guard lock(mutex_);
  return last_failure_;
}

void PluginSkill::InstanceDeleter::operator()(requip_plugin_instance* instance) const {
  plugin.descriptor().on_destroy(instance);
}

PluginSkill::PluginSkill(LoadedPlugin plugin, SkillPolicy policy)
    : plugin_(std::move(plugin)),
      policy_(std::move(policy)),
      context_(std::make_shared<requip_host_context>()),
      instance_(nullptr, InstanceDeleter{plugin_}) {
  context_->skill = plugin_.info().name;
  context_->agent_skills = policy_.agent_skills;
  // A quarantined plugin is never called, so a new conversation makes nothing in it either.
  if (quarantined()) return;
  requip_host_text error;
  requip_plugin_instance* created = plugin_.code().create(context_.get(), &error);
  if (!created) {
    throw PluginError(
        info().file,
        fmt::format("on_create failed: {}", error.value.empty() ? "no reason given" : error.value));
  }
  instance_.reset(created);
}

PluginSkill::~PluginSkill() = default;

std::optional<Algorithm> PluginSkill::input(const Stimulus& stimulus) {
  const auto& d = plugin_.descriptor();
  if (quarantined() || !d.on_input) return std::nullopt;
  const requip_stimulus heard = detail::to_c(stimulus);
  requip_answer answer{};
  requip_host_text error;
  context_->unavailable.clear();
  const requip_status status = d.on_input(instance_.get(), &heard, &answer, &error);
  return settle("input", status, error.value, answer);
}

// A plugin older than ABI 1.2 has no on_follow_up, and never asks.
std::optional<Algorithm> PluginSkill::follow_up(std::string_view topic, const Stimulus& stimulus) {
  const auto& d = plugin_.descriptor();
  if (quarantined() || !d.on_follow_up) return std::nullopt;
  const requip_stimulus heard = detail::to_c(stimulus);
  requip_answer answer{};
  requip_host_text error;
  context_->unavailable.clear();
  const requip_status status =
      d.on_follow_up(instance_.get(), detail::to_c(topic), &heard, &answer, &error);
  return settle("follow_up", status, error.value, answer);
}

std::optional<Algorithm> PluginSkill::tick() {
  const auto& d = plugin_.descriptor();
  if (quarantined() || !d.on_tick) return std::nullopt;
  requip_answer answer{};
  requip_host_text error;
  context_->unavailable.clear();
  const requip_status status = d.on_tick(instance_.get(), &answer, &error);
  return settle("tick", status, error.value, answer);
}

std::optional<Algorithm> PluginSkill::settle(const char* hook, requip_status status,
                                             const std::string& error, requip_answer answer) {
  if (status != REQUIP_STATUS_OK) {
    // Nothing the plugin handed back is trusted after a failure, but it is still freed.
    if (answer.algorithm) plugin_.descriptor().on_algorithm_destroy(answer.algorithm);
    throw_if_unavailable(*context_);
    throw std::runtime_error(count_failure(hook, error.empty() ? "no reason given" : error));
  }
  policy_.health->succeed();
  if (!answer.algorithm) return std::nullopt;
  return adopt(answer);
}

std::string PluginSkill::count_failure(const char* hook, const std::string& reason) {
  const std::string failure =
      fmt::format("{} (plugin {}, hook {})", reason, info().file.string(), hook);
  // A host process that ended too often quarantines the plugin at once; its reason says so.
  if (!plugin_.code().quarantine_reason().empty()) {
    policy_.health->fail(failure, 1);
    requip::detail::library_log().error("skill '{}': {}", name(), failure);
    return failure;
  }
  if (!policy_.health->fail(failure, policy_.quarantine_after)) return failure;
  const std::string report = fmt::format(
      "{}; quarantined after {} consecutive failures, replace the plugin file to "
      "load a fixed version",
      failure, consecutive_failures());
  requip::detail::library_log().error("skill '{}': {}", name(), report);
  return report;
}

// The plugin's algorithm becomes steps that call back into it; each holds the handle, whose
// deleter holds the library, so queued steps keep the code they run loaded.
Algorithm PluginSkill::adopt(requip_answer answer) const {
  LoadedPlugin plugin = plugin_;
  std::shared_ptr<requip_plugin_algorithm> handle(
      answer.algorithm, [plugin](requip_plugin_algorithm* algorithm) {
        plugin.descriptor().on_algorithm_destroy(algorithm);
      });
  if (answer.steps == 0 || answer.steps > max_steps) {
    throw std::runtime_error(fmt::format("plugin {} answered with {} steps; an answer has 1 to {}",
                                         info().file.string(), answer.steps, max_steps));
  }
  Step step = [handle, plugin, context = context_] {
    requip_host_text line, error;
    bool has_line = false;
    requip_step_outcome outcome = REQUIP_STEP_CONTINUE;
    context->unavailable.clear();
    if (plugin.descriptor().on_algorithm_step(handle.get(), &line, &has_line, &outcome, &error) !=
        REQUIP_STATUS_OK) {
      throw_if_unavailable(*context);
      throw std::runtime_error(
          fmt::format("{} (plugin {})", error.value, plugin.info().file.string()));
    }
    StepResult result;
    if (has_line) result.line = std::move(line.value);
    result.abort = outcome == REQUIP_STEP_ABORT;
    return result;
  };
  return Algorithm(std::vector<Step>(answer.steps, step), answer.priority);
}

namespace {

// For hooks the brain does not contain: a failure is logged, never thrown.
void log_failure(const PluginSkill& skill, const char* hook, const requip_host_text& error) {
  requip::detail::library_log().warn("skill '{}' (plugin {}) failed in {}: {}", skill.name(),
                                     skill.info().file.string(), hook, error.value);
}

}  // namespace

void PluginSkill::on_attach() {
  context_->kokoro = &kokoro();
  const auto& d = plugin_.descriptor();
  requip_host_text error;
  if (callable() && d.on_attach && d.on_attach(instance_.get(), &error) != REQUIP_STATUS_OK) {
    log_failure(*this, "attach", error);
  }
}

void PluginSkill::on_detach() {
  const auto& d = plugin_.descriptor();
  requip_host_text error;
  if (callable() && d.on_detach && d.on_detach(instance_.get(), &error) != REQUIP_STATUS_OK) {
    log_failure(*this, "detach", error);
  }
  context_->kokoro = nullptr;
}

std::string PluginSkill::save_state() const {
  const auto& d = plugin_.descriptor();
  requip_host_text state, error;
  if (callable() && d.on_save_state &&
      d.on_save_state(instance_.get(), &state, &error) != REQUIP_STATUS_OK) {
    log_failure(*this, "save_state", error);
    return {};
  }
  return state.value;
}

void PluginSkill::restore_state(std::string_view state) {
  const auto& d = plugin_.descriptor();
  requip_host_text error;
  if (callable() && d.on_restore_state &&
      d.on_restore_state(instance_.get(), detail::to_c(state), &error) != REQUIP_STATUS_OK) {
    log_failure(*this, "restore_state", error);
  }
}

}  // namespace requip::plugins

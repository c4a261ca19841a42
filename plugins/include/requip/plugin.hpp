#pragma once

// The C++ side of the plugin SDK, header-only and free of torch: write a requip::Skill
// subclass, then export it with REQUIP_EXPORT_SKILL(YourSkill) in one source file.
//
// The skill is constructed once to describe the plugin (name, version, description,
// examples, kind) and once per instance the host creates. Every hook is wrapped in an
// exception barrier: what a skill throws becomes the hook's error text, never an unwind
// across the C boundary. memory(), the emotion and ask_follow_up() reach the host's brain
// through callbacks; the heart is private to the plugin in ABI 1.x.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "requip/core/kokoro.hpp"
#include "requip/core/memento.hpp"
#include "requip/core/skill.hpp"
#include "requip/core/version.hpp"
#include "requip/plugin_abi.h"

namespace requip::plugin {

// One skill of the brain a plugin skill is attached to.
struct HostSkill {
  std::string name;
  std::string version;
  std::string description;
  std::string kind;
};

// The skills of the host's brain. Callable only while a hook of this plugin runs (input,
// tick, a step, attach...); throws std::logic_error otherwise.
std::vector<HostSkill> host_skills();

namespace detail {

inline requip_string to_c(std::string_view text) {
  return {text.data(), text.size()};
}
inline std::string to_string(requip_string text) {
  return text.size == 0 ? std::string() : std::string(text.data, text.size);
}

struct Host {
  const requip_host_api* api;
  requip_host_context* context;
};

// The host whose hook is running on this thread, for host_skills().
inline thread_local const Host* current_host = nullptr;

inline void receive_into(void* user, requip_string value) {
  static_cast<std::vector<std::string>*>(user)->push_back(to_string(value));
}

inline void check(bool succeeded, std::string_view what) {
  if (!succeeded) throw std::runtime_error("the host failed to " + std::string(what));
}

// The brain's memento, reached through host callbacks.
class HostMemento final : public Memento {
 public:
  explicit HostMemento(Host host) : host_(host) {}

  std::optional<std::string> get(std::string_view space, std::string_view key) const override {
    std::vector<std::string> values;
    check(host_.api->callback_memento_get(host_.context, to_c(space), to_c(key), &receive_into,
                                          &values),
          "read its memento");
    if (values.empty()) return std::nullopt;
    return std::move(values.front());
  }
  void put(std::string_view space, std::string_view key, std::string_view value) override {
    check(host_.api->callback_memento_put(host_.context, to_c(space), to_c(key), to_c(value)),
          "write its memento");
  }
  bool erase(std::string_view space, std::string_view key) override {
    bool existed = false;
    check(host_.api->callback_memento_erase(host_.context, to_c(space), to_c(key), &existed),
          "erase from its memento");
    return existed;
  }
  std::vector<std::string> keys(std::string_view space) const override {
    std::vector<std::string> keys;
    check(host_.api->callback_memento_keys(host_.context, to_c(space), &receive_into, &keys),
          "list its memento");
    return keys;
  }

 private:
  Host host_;
};

// One skill instance the host created, with the plugin-side kokoro it is attached to.
struct Instance {
  Instance(Host host_in, std::unique_ptr<Skill> skill_in)
      : host(host_in), kokoro(std::make_shared<HostMemento>(host_in)), skill(std::move(skill_in)) {}

  Host host;
  Kokoro kokoro;
  std::unique_ptr<Skill> skill;
};

struct AlgorithmBox {
  Host host;
  Algorithm algorithm;
};

inline Instance& unwrap(requip_plugin_instance* instance) {
  return *reinterpret_cast<Instance*>(instance);
}
inline AlgorithmBox& unwrap(requip_plugin_algorithm* algorithm) {
  return *reinterpret_cast<AlgorithmBox*>(algorithm);
}

// Hands a question the skill asked (Skill::ask_follow_up) to the host's conversation.
inline void forward_follow_up(const Host& host, Kokoro& kokoro) {
  auto question = kokoro.take_follow_up();
  constexpr std::size_t needed =
      offsetof(requip_host_api, callback_ask_follow_up) + sizeof(host.api->callback_ask_follow_up);
  if (!question || host.api->struct_size < needed || !host.api->callback_ask_follow_up) return;
  const auto timeout = question->timeout ? question->timeout->count() : 0;
  host.api->callback_ask_follow_up(host.context, to_c(question->topic),
                                   static_cast<std::uint32_t>(timeout));
}

// While a hook runs: the host is reachable, and the brain's emotion is mirrored into the
// plugin's kokoro and back out if the skill changed it, as is a question the skill asked.
class HookScope {
 public:
  explicit HookScope(Instance& instance) : HookScope(instance.host, &instance.kokoro) {}
  explicit HookScope(const Host& host, Kokoro* kokoro = nullptr)
      : host_(host), kokoro_(kokoro), outer_(current_host) {
    current_host = &host_;
    if (!kokoro_) return;
    std::vector<std::string> emotion;
    if (host_.api->callback_emotion_get(host_.context, &receive_into, &emotion) &&
        !emotion.empty()) {
      kokoro_->set_emotion(std::move(emotion.front()));
    }
    before_ = kokoro_->emotion();
  }
  HookScope(const HookScope&) = delete;
  HookScope& operator=(const HookScope&) = delete;
  ~HookScope() {
    current_host = outer_;
    if (!kokoro_) return;
    if (kokoro_->emotion() != before_) {
      host_.api->callback_emotion_set(host_.context, to_c(kokoro_->emotion()));
    }
    forward_follow_up(host_, *kokoro_);
  }

 private:
  Host host_;
  Kokoro* kokoro_;
  const Host* outer_;
  std::string before_;
};

inline void set_text(const requip_host_api* api, requip_host_text* text, std::string_view value) {
  if (api && text) api->callback_text_set(text, to_c(value));
}

// The exception barrier around every hook.
template <typename Body>
requip_status guarded(const requip_host_api* api, requip_host_text* error, Body&& body) noexcept {
  try {
    body();
    return REQUIP_STATUS_OK;
  } catch (const std::exception& failure) {
    set_text(api, error, failure.what());
  } catch (...) {
    set_text(api, error, "unknown exception");
  }
  return REQUIP_STATUS_FAILED;
}

inline void hand_over(const Host& host, std::optional<Algorithm> algorithm, requip_answer* answer) {
  if (!algorithm) return;
  answer->steps = static_cast<uint32_t>(algorithm->steps_left());
  answer->priority = algorithm->priority();
  // Owned by the host from here on; on_algorithm_destroy frees it.
  auto box = std::make_unique<AlgorithmBox>(AlgorithmBox{host, std::move(*algorithm)});
  answer->algorithm = reinterpret_cast<requip_plugin_algorithm*>(box.release());
}

inline void on_destroy(requip_plugin_instance* instance) {
  std::unique_ptr<Instance> owned(&unwrap(instance));
  HookScope scope(owned->host);
  try {
    owned->skill.reset();
  } catch (...) {  // a destructor that throws must still not unwind into the host
  }
}

inline requip_status on_attach(requip_plugin_instance* handle, requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    instance.skill->attach(instance.kokoro);
  });
}

inline requip_status on_detach(requip_plugin_instance* handle, requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    instance.skill->detach();
  });
}

inline requip_status on_input(requip_plugin_instance* handle, const requip_stimulus* stimulus,
                              requip_answer* answer, requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    const Stimulus heard{to_string(stimulus->ear), to_string(stimulus->skin),
                         to_string(stimulus->eye)};
    hand_over(instance.host, instance.skill->input(heard), answer);
  });
}

inline requip_status on_follow_up(requip_plugin_instance* handle, requip_string topic,
                                  const requip_stimulus* stimulus, requip_answer* answer,
                                  requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    const Stimulus heard{to_string(stimulus->ear), to_string(stimulus->skin),
                         to_string(stimulus->eye)};
    hand_over(instance.host, instance.skill->follow_up(to_string(topic), heard), answer);
  });
}

inline requip_status on_tick(requip_plugin_instance* handle, requip_answer* answer,
                             requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    hand_over(instance.host, instance.skill->tick(), answer);
  });
}

inline requip_status on_algorithm_step(requip_plugin_algorithm* handle, requip_host_text* line,
                                       bool* has_line, requip_step_outcome* outcome,
                                       requip_host_text* error) {
  AlgorithmBox& box = unwrap(handle);
  return guarded(box.host.api, error, [&] {
    HookScope scope(box.host);
    if (box.algorithm.finished()) throw std::logic_error("the algorithm has no steps left");
    StepResult result = box.algorithm.advance();
    *has_line = result.line.has_value();
    if (result.line) set_text(box.host.api, line, *result.line);
    *outcome = result.abort ? REQUIP_STEP_ABORT : REQUIP_STEP_CONTINUE;
  });
}

inline void on_algorithm_destroy(requip_plugin_algorithm* handle) {
  std::unique_ptr<AlgorithmBox> owned(&unwrap(handle));
  try {
    owned.reset();
  } catch (...) {  // steps capture user objects whose destructors might throw
  }
}

inline requip_status on_save_state(requip_plugin_instance* handle, requip_host_text* state,
                                   requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    set_text(instance.host.api, state, instance.skill->save_state());
  });
}

inline requip_status on_restore_state(requip_plugin_instance* handle, requip_string state,
                                      requip_host_text* error) {
  Instance& instance = unwrap(handle);
  return guarded(instance.host.api, error, [&] {
    HookScope scope(instance);
    instance.skill->restore_state(to_string(state));
  });
}

// The descriptor and the strings it points into, read once from a probe instance.
struct Description {
  std::string name, version, description, min_host_version;
  std::vector<std::string> examples;
  std::vector<const char*> example_pointers;
  requip_plugin_descriptor descriptor{};
};

template <typename SkillType>
requip_plugin_instance* on_create(const requip_host_api* host, requip_host_context* context,
                                  requip_host_text* error) {
  requip_plugin_instance* created = nullptr;
  guarded(host, error, [&] {
    HookScope scope(Host{host, context});
    auto instance = std::make_unique<Instance>(Host{host, context}, std::make_unique<SkillType>());
    created = reinterpret_cast<requip_plugin_instance*>(instance.release());
  });
  return created;
}

// Fills the descriptor in place, so that its pointers into the strings stay valid.
template <typename SkillType>
void describe_into(Description& d) {
  const SkillType probe;
  d.name = probe.name();
  d.version = probe.version();
  d.description = probe.description();
  d.examples = probe.examples();
  for (const auto& example : d.examples)
    d.example_pointers.push_back(example.c_str());
  d.min_host_version =
      std::to_string(REQUIP_VERSION_MAJOR) + "." + std::to_string(REQUIP_VERSION_MINOR) + ".0";

  requip_plugin_descriptor& c = d.descriptor;
  c.struct_size = sizeof(requip_plugin_descriptor);
  c.abi_major = REQUIP_PLUGIN_ABI_MAJOR;
  c.abi_minor = REQUIP_PLUGIN_ABI_MINOR;
  c.name = d.name.c_str();
  c.version = d.version.c_str();
  c.description = d.description.c_str();
  c.examples = d.example_pointers.data();
  c.example_count = static_cast<uint32_t>(d.example_pointers.size());
  c.min_host_version = d.min_host_version.c_str();
  // Aware skills keep their own kind value, which the host refuses with a reason.
  c.kind = static_cast<requip_skill_kind>(probe.kind());
  c.on_create = &on_create<SkillType>;
  c.on_destroy = &on_destroy;
  c.on_attach = &on_attach;
  c.on_detach = &on_detach;
  c.on_input = &on_input;
  c.on_tick = &on_tick;
  c.on_algorithm_step = &on_algorithm_step;
  c.on_algorithm_destroy = &on_algorithm_destroy;
  c.on_save_state = &on_save_state;
  c.on_restore_state = &on_restore_state;
  c.on_follow_up = &on_follow_up;
}

template <typename SkillType>
const requip_plugin_descriptor* describe() noexcept {
  try {
    static Description described;
    static const bool ready = (describe_into<SkillType>(described), true);
    return ready ? &described.descriptor : nullptr;
  } catch (...) {
    return nullptr;  // the host reports a plugin that cannot describe itself
  }
}

inline void receive_skill(void* user, const requip_skill_info* skill) {
  static_cast<std::vector<HostSkill>*>(user)->push_back(
      {to_string(skill->name), to_string(skill->version), to_string(skill->description),
       to_string(skill->kind)});
}

}  // namespace detail

inline std::vector<HostSkill> host_skills() {
  const detail::Host* host = detail::current_host;
  if (!host) throw std::logic_error("host_skills() is callable only inside a skill's hooks");
  std::vector<HostSkill> skills;
  detail::check(host->api->callback_skills(host->context, &detail::receive_skill, &skills),
                "list its skills");
  return skills;
}

}  // namespace requip::plugin

// Exports SkillType (a requip::Skill subclass, default-constructible) as this library's
// plugin. Use it once, in one source file of the plugin.
#define REQUIP_EXPORT_SKILL(SkillType)                                                        \
  extern "C" REQUIP_PLUGIN_EXPORT const requip_plugin_descriptor* requip_plugin_entry(void) { \
    return ::requip::plugin::detail::describe<SkillType>();                                   \
  }

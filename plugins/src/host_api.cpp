#include "host_api.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

#include "requip/core/detail/library_log.hpp"
#include "requip/core/unavailable.hpp"
#include "requip/core/version.hpp"

namespace requip::plugins::detail {

namespace {

// Callbacks never unwind into a plugin: a failure becomes `false`, logged here. One that means
// "not now" (the store's server is down) is noted in the context, so that the hook's failure
// is reported as that rather than blamed on the plugin.
template <typename Body>
bool guarded(requip_host_context* context, const char* callback, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& error) {
    requip::detail::library_log().warn("plugin callback {} failed: {}", callback, error.what());
    const auto* unavailable = dynamic_cast<const Unavailable*>(&error);
    if (unavailable && context) context->unavailable = unavailable->reason();
  } catch (...) {
    requip::detail::library_log().warn("plugin callback {} failed", callback);
  }
  return false;
}

Kokoro& attached(requip_host_context* context) {
  if (!context || !context->kokoro) {
    throw std::logic_error("the skill is not attached to a brain");
  }
  return *context->kokoro;
}

// A plugin names its own space; the host keeps it per user unless it asks for a shared one.
std::string scoped(const Kokoro& kokoro, requip_string space) {
  const std::string_view named = to_view(space);
  return is_shared_space(named) ? std::string(named) : user_space(kokoro.user(), named);
}

void text_set(requip_host_text* text, requip_string value) {
  guarded(nullptr, "text_set", [&] {
    text->value.assign(to_view(value));
    return true;
  });
}

bool memento_get(requip_host_context* context, requip_string space, requip_string key,
                 requip_receive_string receive, void* user) {
  return guarded(context, "memento_get", [&] {
    Kokoro& kokoro = attached(context);
    if (auto value = kokoro.memento().get(scoped(kokoro, space), to_view(key))) {
      receive(user, to_c(*value));
    }
    return true;
  });
}

bool memento_put(requip_host_context* context, requip_string space, requip_string key,
                 requip_string value) {
  return guarded(context, "memento_put", [&] {
    Kokoro& kokoro = attached(context);
    kokoro.memento().put(scoped(kokoro, space), to_view(key), to_view(value));
    return true;
  });
}

bool memento_erase(requip_host_context* context, requip_string space, requip_string key,
                   bool* existed) {
  return guarded(context, "memento_erase", [&] {
    Kokoro& kokoro = attached(context);
    const bool erased = kokoro.memento().erase(scoped(kokoro, space), to_view(key));
    if (existed) *existed = erased;
    return true;
  });
}

bool memento_keys(requip_host_context* context, requip_string space, requip_receive_string receive,
                  void* user) {
  return guarded(context, "memento_keys", [&] {
    Kokoro& kokoro = attached(context);
    for (const auto& key : kokoro.memento().keys(scoped(kokoro, space)))
      receive(user, to_c(key));
    return true;
  });
}

// The emotion is mirrored around every hook, attached or not (state is restored before the
// skill is attached): outside a brain there is simply no emotion to show.
bool emotion_get(requip_host_context* context, requip_receive_string receive, void* user) {
  return guarded(context, "emotion_get", [&] {
    if (context && context->kokoro) receive(user, to_c(context->kokoro->emotion()));
    return true;
  });
}

bool emotion_set(requip_host_context* context, requip_string emotion) {
  return guarded(context, "emotion_set", [&] {
    if (context && context->kokoro) context->kokoro->set_emotion(std::string(to_view(emotion)));
    return true;
  });
}

bool skills(requip_host_context* context, requip_receive_skill receive, void* user) {
  return guarded(context, "skills", [&] {
    if (!context || !context->agent_skills) return true;  // a skill outside any agent
    for (const auto& skill : context->agent_skills()) {
      const requip_skill_info info{to_c(skill->name), to_c(skill->version),
                                   to_c(skill->description), to_c(to_string(skill->kind))};
      receive(user, &info);
    }
    return true;
  });
}

bool ask_follow_up(requip_host_context* context, requip_string topic, std::uint32_t timeout_ms) {
  return guarded(context, "ask_follow_up", [&] {
    std::optional<std::chrono::milliseconds> timeout;
    if (timeout_ms > 0) timeout = std::chrono::milliseconds(timeout_ms);
    attached(context).ask(
        {context->skill, std::string(to_view(topic)), FollowUp::Clock::now(), timeout});
    return true;
  });
}

}  // namespace

const requip_host_api& host_api() {
  static const requip_host_api api{
      sizeof(requip_host_api),
      REQUIP_PLUGIN_ABI_MAJOR,
      REQUIP_PLUGIN_ABI_MINOR,
      REQUIP_VERSION_STRING,
      &text_set,
      &memento_get,
      &memento_put,
      &memento_erase,
      &memento_keys,
      &emotion_get,
      &emotion_set,
      &skills,
      &ask_follow_up,
  };
  return api;
}

}  // namespace requip::plugins::detail

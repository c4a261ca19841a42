#include "host_api.hpp"

#include <spdlog/spdlog.h>

#include "requip/core/version.hpp"

namespace requip::plugins::detail {

namespace {

// Callbacks never unwind into a plugin: a failure becomes `false`, logged here.
template <typename Body>
bool guarded(const char* callback, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& error) {
    spdlog::warn("plugin callback {} failed: {}", callback, error.what());
  } catch (...) {
    spdlog::warn("plugin callback {} failed", callback);
  }
  return false;
}

Kokoro& attached(requip_host_context* context) {
  if (!context || !context->kokoro) {
    throw std::logic_error("the skill is not attached to a brain");
  }
  return *context->kokoro;
}

void text_set(requip_host_text* text, requip_string value) {
  guarded("text_set", [&] {
    text->value.assign(to_view(value));
    return true;
  });
}

bool memento_get(requip_host_context* context, requip_string space, requip_string key,
                 requip_receive_string receive, void* user) {
  return guarded("memento_get", [&] {
    if (auto value = attached(context).memento().get(to_view(space), to_view(key))) {
      receive(user, to_c(*value));
    }
    return true;
  });
}

bool memento_put(requip_host_context* context, requip_string space, requip_string key,
                 requip_string value) {
  return guarded("memento_put", [&] {
    attached(context).memento().put(to_view(space), to_view(key), to_view(value));
    return true;
  });
}

bool memento_erase(requip_host_context* context, requip_string space, requip_string key,
                   bool* existed) {
  return guarded("memento_erase", [&] {
    const bool erased = attached(context).memento().erase(to_view(space), to_view(key));
    if (existed) *existed = erased;
    return true;
  });
}

bool memento_keys(requip_host_context* context, requip_string space, requip_receive_string receive,
                  void* user) {
  return guarded("memento_keys", [&] {
    for (const auto& key : attached(context).memento().keys(to_view(space)))
      receive(user, to_c(key));
    return true;
  });
}

// The emotion is mirrored around every hook, attached or not (state is restored before the
// skill is attached): outside a brain there is simply no emotion to show.
bool emotion_get(requip_host_context* context, requip_receive_string receive, void* user) {
  return guarded("emotion_get", [&] {
    if (context && context->kokoro) receive(user, to_c(context->kokoro->emotion()));
    return true;
  });
}

bool emotion_set(requip_host_context* context, requip_string emotion) {
  return guarded("emotion_set", [&] {
    if (context && context->kokoro) context->kokoro->set_emotion(std::string(to_view(emotion)));
    return true;
  });
}

bool skills(requip_host_context* context, requip_receive_skill receive, void* user) {
  return guarded("skills", [&] {
    if (!context || !context->brain_skills) return true;  // a skill outside any brain
    for (const auto& skill : context->brain_skills()) {
      const std::string name = skill->name(), version = skill->version(),
                        description = skill->description();
      const requip_skill_info info{to_c(name), to_c(version), to_c(description),
                                   to_c(to_string(skill->kind()))};
      receive(user, &info);
    }
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
  };
  return api;
}

}  // namespace requip::plugins::detail

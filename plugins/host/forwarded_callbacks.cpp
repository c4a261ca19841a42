#include "forwarded_callbacks.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include "host_api.hpp"
#include "host_protocol.hpp"
#include "requip/core/version.hpp"

namespace requip::plugins::host {

namespace {

using plugins::detail::to_c;
using plugins::detail::to_view;
using protocol::Message;

thread_local int calling_channel = -1;
thread_local std::optional<std::string> calling_emotion;

std::string text(requip_string value) {
  return std::string(to_view(value));
}

// Asks the agent; nullopt when it refused. A callback made outside a hook has no channel and
// is refused (the ABI allows them only inside one). An agent gone mid-call ends the host.
std::optional<Message> ask_agent(Message callback) {
  if (calling_channel < 0) return std::nullopt;
  Message answer;
  if (!protocol::write_frame(calling_channel, callback) ||
      protocol::read_frame(calling_channel, answer, std::nullopt, protocol::awake_between_calls) !=
          protocol::ReadEnd::read) {
    std::_Exit(0);
  }
  if (!answer.value("ok", false)) return std::nullopt;
  return answer;
}

void text_set(requip_host_text* target, requip_string value) {
  target->value.assign(to_view(value));
}

bool memento_get(requip_host_context*, requip_string space, requip_string key,
                 requip_receive_string receive, void* user) {
  auto answer =
      ask_agent({{"callback", "memento_get"}, {"space", text(space)}, {"key", text(key)}});
  if (!answer) return false;
  if (auto value = answer->find("value"); value != answer->end()) {
    receive(user, to_c(value->get_ref<const std::string&>()));
  }
  return true;
}

bool memento_put(requip_host_context*, requip_string space, requip_string key,
                 requip_string value) {
  return ask_agent({{"callback", "memento_put"},
                    {"space", text(space)},
                    {"key", text(key)},
                    {"value", text(value)}})
      .has_value();
}

bool memento_erase(requip_host_context*, requip_string space, requip_string key, bool* existed) {
  auto answer =
      ask_agent({{"callback", "memento_erase"}, {"space", text(space)}, {"key", text(key)}});
  if (!answer) return false;
  if (existed) *existed = answer->value("existed", false);
  return true;
}

bool memento_keys(requip_host_context*, requip_string space, requip_receive_string receive,
                  void* user) {
  auto answer = ask_agent({{"callback", "memento_keys"}, {"space", text(space)}});
  if (!answer) return false;
  for (const auto& key : answer->at("keys"))
    receive(user, to_c(key.get_ref<const std::string&>()));
  return true;
}

// The SDK reads the emotion around every hook: it came with the call.
bool emotion_get(requip_host_context*, requip_receive_string receive, void* user) {
  if (calling_channel < 0) return false;
  if (calling_emotion) receive(user, to_c(*calling_emotion));
  return true;
}

bool emotion_set(requip_host_context*, requip_string emotion) {
  if (!ask_agent({{"callback", "emotion_set"}, {"emotion", text(emotion)}})) return false;
  if (calling_emotion) calling_emotion = text(emotion);
  return true;
}

bool skills(requip_host_context*, requip_receive_skill receive, void* user) {
  auto answer = ask_agent({{"callback", "skills"}});
  if (!answer) return false;
  for (const auto& skill : answer->at("skills")) {
    const requip_skill_info info{to_c(skill.at(0).get_ref<const std::string&>()),
                                 to_c(skill.at(1).get_ref<const std::string&>()),
                                 to_c(skill.at(2).get_ref<const std::string&>()),
                                 to_c(skill.at(3).get_ref<const std::string&>())};
    receive(user, &info);
  }
  return true;
}

bool ask_follow_up(requip_host_context*, requip_string topic, std::uint32_t timeout_ms) {
  return ask_agent(
             {{"callback", "ask_follow_up"}, {"topic", text(topic)}, {"timeout_ms", timeout_ms}})
      .has_value();
}

}  // namespace

const requip_host_api& forwarded_host_api() {
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

void set_calling_channel(int channel) {
  calling_channel = channel;
}

void set_calling_emotion(std::optional<std::string> emotion) {
  calling_emotion = std::move(emotion);
}

}  // namespace requip::plugins::host

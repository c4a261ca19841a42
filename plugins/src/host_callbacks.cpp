#include "host_callbacks.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "host_api.hpp"

namespace requip::plugins::detail {

using protocol::Message;

namespace {

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

}  // namespace

Message answer_host_callback(requip_host_context* context, const Message& callback) {
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
    // Converting a float, or a count past 32 bits, would give a timeout the plugin never
    // asked for (from a float, with undefined behaviour).
    const Message& timeout = callback.at("timeout_ms");
    if (!timeout.is_number_unsigned() ||
        timeout.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
      throw std::invalid_argument("timeout_ms is not a count of milliseconds");
    }
    return {
        {"ok", api.callback_ask_follow_up(context, text("topic"), timeout.get<std::uint32_t>())}};
  }
  return {{"ok", false}};
}

}  // namespace requip::plugins::detail

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "requip/core/kokoro.hpp"
#include "requip/core/skill_factory.hpp"
#include "requip/core/stimulus.hpp"
#include "requip/plugin_abi.h"

// The host's definitions of the types plugin_abi.h leaves opaque.
struct requip_host_text {
  std::string value;
};

struct requip_host_context {
  std::string skill;                 // the name the skill's questions are asked under
  requip::Kokoro* kokoro = nullptr;  // the conversation's, while the skill is attached
  std::function<std::vector<std::shared_ptr<const requip::SkillFactory>>()> agent_skills;
  // Set when a callback failed for want of something unavailable (requip::Unavailable): the
  // hook that made the call failed for that reason, not for the plugin's. Cleared before a hook.
  std::string unavailable;
};

namespace requip::plugins::detail {

// The callback table every plugin instance receives; static, it outlives them all.
const requip_host_api& host_api();

inline requip_string to_c(std::string_view text) {
  return {text.data(), text.size()};
}
// Borrows the stimulus's strings: valid while it lives.
inline requip_stimulus to_c(const Stimulus& stimulus) {
  return {to_c(stimulus.ear), to_c(stimulus.skin), to_c(stimulus.eye)};
}
inline std::string_view to_view(requip_string text) {
  return text.size == 0 ? std::string_view() : std::string_view(text.data, text.size);
}

}  // namespace requip::plugins::detail

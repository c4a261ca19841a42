#pragma once

#include <memory>
#include <string>

#include "../plugin_fixtures.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

namespace requip::test {

// A bundled plugin of this build (lib/requip/plugins), created for a brain.
inline std::shared_ptr<plugins::PluginSkill> bundled_skill(
    const std::string& name, Brain& brain,
    plugins::Isolation isolation = plugins::Isolation::in_process) {
  auto plugin = plugins::load_plugin(
      std::filesystem::path(REQUIP_BUNDLED_PLUGIN_DIR) / (name + ".so"), isolation);
  return plugin.create({3, [&brain] { return brain.skills(); }, nullptr});
}

// Every line of an answer.
inline std::vector<std::string> answer(Brain& brain, const std::string& text) {
  return brain.converse(text).lines;
}

}  // namespace requip::test

#pragma once

#include <memory>
#include <string>

#include "requip/core/brain.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"

namespace requip::test {

// A bundled plugin of this build (lib/requip/plugins), created for a brain.
inline std::shared_ptr<plugins::PluginSkill> bundled_skill(const std::string& name, Brain& brain) {
  auto plugin =
      plugins::load_plugin(std::filesystem::path(REQUIP_BUNDLED_PLUGIN_DIR) / (name + ".so"));
  return plugin.create({3, [&brain] { return brain.skills(); }});
}

// Every line of an answer: the first from think(), the rest from ticks.
inline std::vector<std::string> answer(Brain& brain, const std::string& text) {
  std::vector<std::string> lines = brain.think(text).lines;
  while (brain.busy()) {
    for (auto& line : brain.tick().lines)
      lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace requip::test

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "requip/core/skill.hpp"

namespace requip {

// What an agent knows of a skill before any conversation uses it, and how to make the
// instance a conversation gets when it first needs one.
struct SkillFactory {
  std::string name;
  std::string version;
  std::string description;
  SkillKind kind = SkillKind::regular;
  std::vector<std::string> examples;
  // A new instance for one conversation. May throw; the conversation reports the failure.
  std::function<std::shared_ptr<Skill>()> create;
  // Told when an instance failed outside the conversation's reach (a turn past its
  // deadline), so that a skill that keeps failing is quarantined; may be empty.
  std::function<void(const std::string& reason)> report_failure;
};

// A factory described by one probe instance, for skills written in C++ beside the host.
SkillFactory skill_factory(std::function<std::shared_ptr<Skill>()> create);

template <typename SkillType>
SkillFactory skill_factory() {
  return skill_factory([] { return std::make_shared<SkillType>(); });
}

}  // namespace requip

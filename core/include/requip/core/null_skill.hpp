#pragma once

#include <memory>

#include "requip/core/skill.hpp"

namespace requip {

// The skill that does nothing: what a lookup returns instead of a null pointer, so callers
// never have to check.
class NullSkill final : public Skill {
 public:
  std::string name() const override { return "null"; }
  std::string description() const override { return "does nothing"; }
};

std::shared_ptr<Skill> make_null_skill();

}  // namespace requip

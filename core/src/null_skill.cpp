#include "requip/core/null_skill.hpp"

namespace requip {

std::shared_ptr<Skill> make_null_skill() {
  return std::make_shared<NullSkill>();
}

}  // namespace requip

#pragma once

#include <memory>
#include <vector>

#include "requip/core/skill.hpp"

namespace requip::cli {

// Small skills compiled into the program so that a fresh `requip chat` has something to say.
std::vector<std::shared_ptr<Skill>> make_builtin_skills();

}  // namespace requip::cli

#pragma once

#include <vector>

#include "requip/core/skill_factory.hpp"

namespace requip::cli {

// Small skills compiled into the program, beside the bundled plugins (parrot, clock,
// calculator, notes, catalog) that `requip chat` loads from their shared libraries.
std::vector<SkillFactory> make_builtin_skills();

}  // namespace requip::cli

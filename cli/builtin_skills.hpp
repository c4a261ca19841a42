#pragma once

#include <memory>
#include <vector>

#include "requip/core/skill.hpp"

namespace requip::cli {

// Small skills compiled into the program, beside the bundled plugins (parrot, clock,
// calculator, notes, catalog) that `requip chat` loads from their shared libraries.
std::vector<std::shared_ptr<Skill>> make_builtin_skills();

}  // namespace requip::cli

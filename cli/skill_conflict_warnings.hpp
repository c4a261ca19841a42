#pragma once

#include <iosfwd>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "requip/core/skill_factory.hpp"
#include "requip/router/skill_conflicts.hpp"

namespace requip::cli {

// The skills the router chooses among, as it learns them: all but the aware ones (the
// router itself among them), which see every input and are never routed to.
std::vector<router::SkillProfile> routed_profiles(
    const std::vector<std::shared_ptr<const SkillFactory>>& skills);

// The skills' examples cross-validated with the router `requip chat` and `requip serve` train.
router::SkillConflictReport check_chat_skill_conflicts(
    const std::vector<router::SkillProfile>& skills);

// The conflicts with one of `skills` in them, and those of `skills` too small to check.
router::SkillConflictReport involving(router::SkillConflictReport report,
                                      const std::set<std::string>& skills);

// A warning line per pair of skills the router confuses, naming both and each colliding
// example, then one hint for the fix; a note naming the skills too small to check. Nothing
// when the report is clean.
void print_skill_conflicts(std::ostream& out, const router::SkillConflictReport& report);

}  // namespace requip::cli

#include "skill_conflict_warnings.hpp"

#include <fmt/ostream.h>

#include <ostream>

#include "chat_router.hpp"

namespace requip::cli {

std::vector<router::SkillProfile> routed_profiles(
    const std::vector<std::shared_ptr<const SkillFactory>>& skills) {
  std::vector<router::SkillProfile> profiles;
  for (const auto& skill : skills) {
    if (skill->kind == SkillKind::aware) continue;
    profiles.push_back({skill->name, skill->version, skill->description, skill->examples});
  }
  return profiles;
}

router::SkillConflictReport check_chat_skill_conflicts(
    const std::vector<router::SkillProfile>& skills) {
  router::ConflictCheckConfig config;
  config.router = chat_router_config();
  return router::find_skill_conflicts(skills, config);
}

router::SkillConflictReport involving(router::SkillConflictReport report,
                                      const std::set<std::string>& skills) {
  std::erase_if(report.conflicts, [&](const router::SkillConflict& conflict) {
    return !skills.count(conflict.first) && !skills.count(conflict.second);
  });
  std::erase_if(report.unchecked, [&](const std::string& name) { return !skills.count(name); });
  return report;
}

void print_skill_conflicts(std::ostream& out, const router::SkillConflictReport& report) {
  for (const auto& conflict : report.conflicts) {
    fmt::print(out, "warning: skills \"{}\" and \"{}\" overlap:", conflict.first, conflict.second);
    const char* separator = " ";
    for (const auto& example : conflict.examples) {
      fmt::print(out, "{}\"{}\" ({}) is routed to {}", separator, example.text, example.skill,
                 example.taken_by);
      separator = "; ";
    }
    fmt::print(out, "\n");
  }
  if (!report.conflicts.empty()) {
    fmt::print(out,
               "hint: give each skill of a pair examples in words the other's do not use, so "
               "that the router can tell them apart\n");
  }
  if (!report.unchecked.empty()) {
    fmt::print(out,
               "note: too few examples to check for overlap (fewer than 2): {}; give each "
               "skill several\n",
               fmt::join(report.unchecked, ", "));
  }
}

}  // namespace requip::cli

#include "requip/router/skill_conflicts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

namespace requip::router {

namespace {

constexpr int never_held_out = -1;

// fold[skill][example]: the fold the example is routed in. Each skill's examples are dealt
// round the folds from a seeded start, so that no fold holds all of a skill's examples and
// the skill is learned from in every fold. A skill with fewer than 2 examples is never held
// out.
std::vector<std::vector<int>> deal_folds(const std::vector<SkillProfile>& skills, int folds,
                                         std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<int>> fold(skills.size());
  for (std::size_t s = 0; s < skills.size(); ++s) {
    const std::size_t count = skills[s].examples.size();
    fold[s].assign(count, never_held_out);
    if (count < 2) continue;
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), random);
    const auto start = static_cast<std::size_t>(random() % static_cast<std::uint64_t>(folds));
    for (std::size_t j = 0; j < count; ++j)
      fold[s][order[j]] = static_cast<int>((start + j) % static_cast<std::size_t>(folds));
  }
  return fold;
}

}  // namespace

SkillConflictReport find_skill_conflicts(const std::vector<SkillProfile>& skills,
                                         const ConflictCheckConfig& config) {
  if (config.folds < 2) {
    throw std::invalid_argument(fmt::format(
        "skill conflicts: {} folds leave nothing to learn from; use 2 or more", config.folds));
  }
  const auto start = std::chrono::steady_clock::now();
  SkillConflictReport report;
  const auto fold = deal_folds(skills, config.folds, config.seed);
  // taken_by[skill][example]: the skill the router hands it to, or the skill itself when it
  // is routed there or to none.
  std::vector<std::vector<std::size_t>> taken_by(skills.size());
  for (std::size_t s = 0; s < skills.size(); ++s)
    taken_by[s].assign(skills[s].examples.size(), s);

  std::vector<std::string> names;
  for (const auto& skill : skills)
    names.push_back(skill.name);
  for (int held_out = 0; held_out < config.folds; ++held_out) {
    auto training = skills;
    bool routes_any = false;
    for (std::size_t s = 0; s < skills.size(); ++s) {
      training[s].examples.clear();
      for (std::size_t j = 0; j < skills[s].examples.size(); ++j) {
        if (fold[s][j] == held_out) {
          routes_any = true;
        } else {
          training[s].examples.push_back(skills[s].examples[j]);
        }
      }
    }
    if (!routes_any) continue;  // fewer examples than folds
    RouterModel router(config.router);
    router.know(training);
    const auto every_skill = router.mask_for(names);
    for (std::size_t s = 0; s < skills.size(); ++s) {
      for (std::size_t j = 0; j < skills[s].examples.size(); ++j) {
        if (fold[s][j] != held_out) continue;
        const Ranking ranking = router.rank(skills[s].examples[j], every_skill);
        const auto& chosen = ranking.candidates.front().skill;
        if (ranking.confidence >= config.router.out_of_scope_below) {
          taken_by[s][j] = static_cast<std::size_t>(std::find(names.begin(), names.end(), chosen) -
                                                    names.begin());
        }
        ++report.examples_checked;
      }
    }
  }

  // Per pair (lower index first), the misrouted examples both ways, and whether either
  // way reaches the share.
  std::map<std::pair<std::size_t, std::size_t>, SkillConflict> by_pair;
  std::set<std::pair<std::size_t, std::size_t>> conflicting;
  for (std::size_t s = 0; s < skills.size(); ++s) {
    const auto& examples = skills[s].examples;
    if (examples.size() < 2) report.unchecked.push_back(skills[s].name);
    std::map<std::size_t, std::size_t> sent_to;
    for (std::size_t j = 0; j < examples.size(); ++j) {
      const std::size_t other = taken_by[s][j];
      if (other == s) continue;
      const std::pair<std::size_t, std::size_t> pair{std::min(s, other), std::max(s, other)};
      by_pair[pair].examples.push_back({examples[j], skills[s].name, skills[other].name});
      if (static_cast<double>(++sent_to[other]) >=
          config.min_share * static_cast<double>(examples.size())) {
        conflicting.insert(pair);
      }
    }
  }
  for (const auto& pair : conflicting) {
    auto& conflict = by_pair[pair];
    conflict.first = skills[pair.first].name;
    conflict.second = skills[pair.second].name;
    report.conflicts.push_back(std::move(conflict));
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace requip::router

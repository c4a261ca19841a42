#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "requip/router/router_model.hpp"

namespace requip::router {

struct ConflictCheckConfig {
  RouterConfig router{};  // the router whose routing is checked, its gate and threshold
  int folds = 5;          // each example is routed by a router trained without its fold
  // The share of one skill's examples going to another that makes the pair a conflict.
  double min_share = 0.25;
  std::uint64_t seed = 7;
};

// An example of one skill that a router trained without it hands to another skill.
struct MisroutedExample {
  std::string text;
  std::string skill;     // the one that declares the example
  std::string taken_by;  // the one the router chose
};

// Two skills whose examples the router confuses: of one skill's examples, each held out of
// training, at least `min_share` are routed to the other, as confidently as the router needs
// to hand them over (its out_of_scope_below). An example the router is unsure of is not
// counted, since the router would say it cannot help rather than answer with the other
// skill. A share, not a single example: with a few examples a skill, a held-out one in words
// no other example of its skill uses lands anywhere, which says the skill needs more
// examples, not that it overlaps another.
struct SkillConflict {
  std::string first;  // the skills in the order they were given
  std::string second;
  std::vector<MisroutedExample> examples;  // first's taken by second, then second's by first
};

struct SkillConflictReport {
  std::vector<SkillConflict> conflicts;  // in the order of their first skill, then second
  // Skills with fewer than 2 examples: none can be held out while the skill keeps one to be
  // learned from, so their examples are learned but not checked. Others may still be
  // reported as confused with them.
  std::vector<std::string> unchecked;
  std::size_t examples_checked = 0;
  double seconds = 0;
};

// Cross-validates the router over the skills' examples: each skill's examples are dealt into
// `folds` folds (shuffled with `seed`, so the report is the same every time), a router is
// trained on all but one fold and routes that fold's examples among every skill given.
// Throws std::invalid_argument if `folds` is below 2.
SkillConflictReport find_skill_conflicts(const std::vector<SkillProfile>& skills,
                                         const ConflictCheckConfig& config = {});

}  // namespace requip::router

#include <catch2/catch.hpp>

#include <set>

#include "requip/router/skill_conflicts.hpp"
#include "synthetic_skills.hpp"

using namespace requip::router;

namespace {

ConflictCheckConfig small_router() {
  ConflictCheckConfig config;
  config.router.gate = requip::test::small_gate();
  return config;
}

std::vector<SkillProfile> synthetic_profiles() {
  std::vector<SkillProfile> profiles;
  for (const auto& [name, examples] : requip::test::synthetic_skills())
    profiles.push_back({name, "1", "", examples});
  return profiles;
}

// A timer whose examples the alarm skill declares half of, in its own words.
std::vector<SkillProfile> overlapping_profiles() {
  auto profiles = synthetic_profiles();
  profiles.push_back(
      {"timer",
       "1",
       "",
       {"set a timer for 5 minutes", "set a timer for ten minutes", "start a timer for an hour",
        "set a timer for 20 seconds", "timer for 3 minutes please"}});
  auto& alarm = profiles[1];
  alarm.examples.insert(alarm.examples.end(),
                        {"set a timer for 2 minutes", "set a timer for 15 minutes",
                         "start a timer for half an hour", "set a timer for 30 seconds"});
  return profiles;
}

const std::vector<std::string>& examples_of(const std::vector<SkillProfile>& profiles,
                                            const std::string& name) {
  return std::find_if(profiles.begin(), profiles.end(),
                      [&](const auto& p) { return p.name == name; })
      ->examples;
}

}  // namespace

TEST_CASE(
    "skill conflicts: skills whose examples overlap are reported with the colliding "
    "examples",
    "[router][conflicts]") {
  const auto profiles = overlapping_profiles();
  const auto report = find_skill_conflicts(profiles, small_router());
  REQUIRE(report.conflicts.size() == 1);
  const auto& conflict = report.conflicts.front();
  CHECK(conflict.first == "alarm");
  CHECK(conflict.second == "timer");
  REQUIRE_FALSE(conflict.examples.empty());
  for (const auto& example : conflict.examples) {
    INFO(example.text);
    CHECK(example.taken_by != example.skill);
    CHECK(std::set<std::string>{example.skill, example.taken_by} ==
          std::set<std::string>{"alarm", "timer"});
    const auto& declared = examples_of(profiles, example.skill);
    CHECK(std::find(declared.begin(), declared.end(), example.text) != declared.end());
    CHECK_THAT(example.text, Catch::Contains("timer"));
  }
  CHECK(report.examples_checked == 5 * 4 + 4 + 5);
}

TEST_CASE("skill conflicts: skills in words of their own are not reported", "[router][conflicts]") {
  const auto report = find_skill_conflicts(synthetic_profiles(), small_router());
  CHECK(report.conflicts.empty());
  CHECK(report.unchecked.empty());
  CHECK(report.examples_checked == 20);
}

TEST_CASE("skill conflicts: the same skills and seed give the same report", "[router][conflicts]") {
  const auto first = find_skill_conflicts(overlapping_profiles(), small_router());
  const auto second = find_skill_conflicts(overlapping_profiles(), small_router());
  REQUIRE(first.conflicts.size() == second.conflicts.size());
  for (std::size_t i = 0; i < first.conflicts.size(); ++i) {
    REQUIRE(first.conflicts[i].examples.size() == second.conflicts[i].examples.size());
    for (std::size_t j = 0; j < first.conflicts[i].examples.size(); ++j)
      CHECK(first.conflicts[i].examples[j].text == second.conflicts[i].examples[j].text);
  }
}

TEST_CASE("skill conflicts: a skill with fewer than 2 examples is learned but not checked",
          "[router][conflicts]") {
  auto profiles = synthetic_profiles();
  profiles.push_back({"counter", "1", "", {"count to 5"}});
  profiles.push_back({"silent", "1", "", {}});
  const auto report = find_skill_conflicts(profiles, small_router());
  CHECK(report.unchecked == std::vector<std::string>{"counter", "silent"});
  CHECK(report.examples_checked == 20);
  CHECK(report.conflicts.empty());

  SECTION("even when no skill has enough") {
    const auto alone = find_skill_conflicts({{"counter", "1", "", {"count to 5"}}}, small_router());
    CHECK(alone.unchecked == std::vector<std::string>{"counter"});
    CHECK(alone.examples_checked == 0);
    CHECK(alone.conflicts.empty());
  }
  SECTION("or there are no skills") {
    CHECK(find_skill_conflicts({}, small_router()).conflicts.empty());
  }
}

TEST_CASE("skill conflicts: fewer than 2 folds is refused, naming the fix", "[router][conflicts]") {
  auto config = small_router();
  config.folds = 1;
  CHECK_THROWS_WITH(find_skill_conflicts(synthetic_profiles(), config),
                    "skill conflicts: 1 folds leave nothing to learn from; use 2 or more");
}

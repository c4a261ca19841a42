#pragma once

#include <memory>

#include "requip/router/router_skill.hpp"

namespace requip::serve {

// The brain's one router seat, taken in turn by each session's RouterSkill: before a turn,
// the session's router is made active, and this skill hands it every input.
class SessionRouter final : public Skill {
 public:
  std::string name() const override { return "router"; }
  std::string description() const override {
    return "picks the skill for each input of each session and learns from feedback";
  }
  SkillKind kind() const override { return SkillKind::aware; }

  void perceive(Turn& turn) override;
  void activate(std::shared_ptr<router::RouterSkill> router) { active_ = std::move(router); }

 private:
  std::shared_ptr<router::RouterSkill> active_;
};

}  // namespace requip::serve

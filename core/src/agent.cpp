#include "requip/core/agent.hpp"

#include <algorithm>

#include "requip/core/in_memory_memento.hpp"

namespace requip {

std::shared_ptr<const SkillFactory> SkillCatalog::find(std::string_view name) const {
  for (const auto& skill : skills) {
    if (skill->name == name) return skill;
  }
  return nullptr;
}

SkillFactory skill_factory(std::function<std::shared_ptr<Skill>()> create) {
  const auto probe = create();
  return {probe->name(),
          probe->version(),
          probe->description(),
          probe->kind(),
          probe->examples(),
          std::move(create),
          {}};
}

Agent::Agent(std::shared_ptr<Memento> memento, BrainOptions options)
    : catalog_(std::make_shared<const SkillCatalog>()),
      memento_(memento ? std::move(memento) : std::make_shared<InMemoryMemento>()),
      options_(options) {}

void Agent::add(SkillFactory factory) {
  auto added = std::make_shared<const SkillFactory>(std::move(factory));
  std::lock_guard lock(mutex_);
  auto skills = catalog_->skills;
  auto same = std::find_if(skills.begin(), skills.end(),
                           [&](const auto& skill) { return skill->name == added->name; });
  if (same != skills.end()) {
    *same = std::move(added);
  } else {
    skills.push_back(std::move(added));
  }
  publish(std::move(skills));
}

void Agent::remove(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto skills = catalog_->skills;
  std::erase_if(skills, [&](const auto& skill) { return skill->name == name; });
  publish(std::move(skills));
}

std::shared_ptr<const SkillCatalog> Agent::catalog() const {
  std::lock_guard lock(mutex_);
  return catalog_;
}

void Agent::publish(std::vector<std::shared_ptr<const SkillFactory>> skills) {
  catalog_ = std::make_shared<const SkillCatalog>(SkillCatalog{std::move(skills)});
}

}  // namespace requip

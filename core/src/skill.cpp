#include "requip/core/skill.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace requip {

std::string_view to_string(SkillKind kind) {
  switch (kind) {
    case SkillKind::regular:
      return "regular";
    case SkillKind::continuous:
      return "continuous";
    case SkillKind::aware:
      return "aware";
  }
  return "unknown";
}

void Skill::attach(Kokoro& kokoro) {
  if (kokoro_ != nullptr) {
    throw std::logic_error(fmt::format("skill '{}' is already attached to a brain", name()));
  }
  kokoro_ = &kokoro;
  on_attach();
}

void Skill::detach() {
  if (kokoro_ == nullptr) return;
  on_detach();
  kokoro_ = nullptr;
}

Kokoro& Skill::kokoro() const {
  if (kokoro_ == nullptr) {
    throw std::logic_error(fmt::format("skill '{}' used its kokoro while detached", name()));
  }
  return *kokoro_;
}

MementoView Skill::memory() const {
  return MementoView(kokoro().memento(), user_space(kokoro().user(), name()));
}

MementoView Skill::shared_memory() const {
  return MementoView(kokoro().memento(), shared_space(name()));
}

void Skill::ask_follow_up(std::string topic, std::optional<std::chrono::milliseconds> timeout) {
  kokoro().ask({name(), std::move(topic), FollowUp::Clock::now(), timeout});
}

}  // namespace requip

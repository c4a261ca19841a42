// catalog: lists the skills the brain hosts and what each does, asking the host for them.

#include <fmt/format.h>

#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

class Catalog final : public requip::Skill {
 public:
  std::string name() const override { return "catalog"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override { return "lists the skills and what they do"; }
  std::vector<std::string> examples() const override {
    return {"what can you do",     "list your skills",       "which skills do you have",
            "show me your skills", "what skills are loaded", "tell me your skills"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string text = requip::bundled::trim_end(requip::bundled::lowercase(stimulus.ear));
    if (text != "what can you do" && text.find("skills") == std::string::npos) {
      return std::nullopt;
    }
    std::vector<std::string> lines{"I can use these skills:"};
    for (const auto& skill : requip::plugin::host_skills()) {
      lines.push_back(
          fmt::format("  {}: {}", skill.name,
                      skill.description.empty() ? "(no description)" : skill.description));
    }
    return requip::Algorithm::say_lines(std::move(lines));
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Catalog)

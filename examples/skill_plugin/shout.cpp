// A plugin author's whole skill: a requip::Skill subclass and one export macro.
#include <cctype>

#include "requip/plugin.hpp"

class Shout final : public requip::Skill {
 public:
  std::string name() const override { return "shout"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override { return "repeats what follows 'shout', loudly"; }
  std::vector<std::string> examples() const override { return {"shout hello", "shout it out"}; }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    if (!stimulus.ear.starts_with("shout ")) return std::nullopt;
    std::string loud = stimulus.ear.substr(6);
    for (char& c : loud)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // The count lives in the brain's memento, in this skill's own namespace.
    const int shouted = std::stoi(memory().get("shouted").value_or("0")) + 1;
    memory().put("shouted", std::to_string(shouted));
    return requip::Algorithm::say(loud + "!");
  }
};

REQUIP_EXPORT_SKILL(Shout)

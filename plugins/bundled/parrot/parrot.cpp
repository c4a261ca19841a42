// parrot: repeats what it is asked to say ("say ...", "repeat after me ...", "echo ...").

#include <array>

#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using requip::bundled::after_word;

// The longer phrase first: "repeat after me good morning" repeats "good morning".
constexpr std::array<std::string_view, 9> leads{"repeat after me:",
                                                "repeat after me",
                                                "can you say",
                                                "could you say",
                                                "please say",
                                                "repeat:",
                                                "repeat",
                                                "echo",
                                                "say"};

// Quotes around what is to be said are not part of it.
std::string unquoted(std::string text) {
  const bool quoted = text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
                      text.back() == text.front();
  return quoted ? text.substr(1, text.size() - 2) : text;
}

class Parrot final : public requip::Skill {
 public:
  std::string name() const override { return "parrot"; }
  std::string version() const override { return "1.1.0"; }
  std::string description() const override {
    return "repeats what follows 'say', 'echo' or 'repeat after me'";
  }
  std::vector<std::string> examples() const override {
    return {"say hello",
            "say good night to everyone",
            "say i love pizza",
            "say it out loud: we did it",
            "please say thank you",
            "can you say banana",
            "repeat after me good morning",
            "repeat after me: i am here",
            "repeat this sentence",
            "echo ping",
            "echo hello world"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    for (std::string_view lead : leads) {
      if (auto rest = after_word(stimulus.ear, lead)) {
        const std::string said = unquoted(*rest);
        if (!said.empty()) return requip::Algorithm::say(said);
      }
    }
    return std::nullopt;
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Parrot)

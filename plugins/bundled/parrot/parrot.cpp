// parrot: repeats what follows "say" or "repeat".

#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using requip::bundled::after_word;

class Parrot final : public requip::Skill {
 public:
  std::string name() const override { return "parrot"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override { return "repeats what follows 'say' or 'repeat'"; }
  std::vector<std::string> examples() const override {
    return {"say hello", "repeat after me", "say good night", "repeat this sentence"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    for (std::string_view word : {"say", "repeat after me:", "repeat"}) {
      if (auto rest = after_word(stimulus.ear, word)) return requip::Algorithm::say(*rest);
    }
    return std::nullopt;
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Parrot)

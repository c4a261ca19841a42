// parrot: repeats what follows "say" or "repeat".

#include <algorithm>
#include <cctype>

#include "requip/plugin.hpp"

namespace {

// The text after a leading command word ("say hi" -> "hi"), if the input starts with it.
std::optional<std::string> after_word(std::string_view text, std::string_view word) {
  if (text.size() <= word.size() + 1 || text[word.size()] != ' ') return std::nullopt;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return std::nullopt;
  }
  return std::string(text.substr(word.size() + 1));
}

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

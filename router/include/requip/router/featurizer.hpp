#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace requip::router {

struct FeaturizerConfig {
  int max_word_ngram = 2;  // word 1..max_word_ngram-grams
  int min_char_ngram = 3;  // char n-grams of each word, with '<' '>' boundary markers
  int max_char_ngram = 5;
};

namespace detail {

inline bool word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' ||
         c >= 0x80;
}

inline char lower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

}  // namespace detail

// Lowercase words of a text: runs of letters, digits and apostrophes (bytes >= 0x80 count as
// letters, so UTF-8 words stay whole).
std::vector<std::string> words(std::string_view text);

// visit(std::string_view) with each of words(text) in turn, the view valid during the call.
// Allocation-free once a per-thread buffer has grown: the gate reads words on the routing path.
template <typename Visit>
void for_each_word(std::string_view text, Visit&& visit) {
  thread_local std::string word;
  word.clear();
  for (unsigned char c : text) {
    if (detail::word_byte(c)) {
      word.push_back(detail::lower(c));
    } else if (!word.empty()) {
      visit(std::string_view(word));
      word.clear();
    }
  }
  if (!word.empty()) visit(std::string_view(word));
}

// The words joined by single spaces: the form under which a request is remembered.
std::string normalize(std::string_view text);

// The bit of a hash from Featurizer::features() that marks a word n-gram's rather than a
// character n-gram's, so that the gate can weigh the two kinds apart.
inline constexpr std::uint64_t word_ngram_bit = std::uint64_t{1} << 63;

// Inline: the gate asks it of every n-gram it weighs, on the routing path.
inline bool is_word_ngram(std::uint64_t hash) {
  return (hash & word_ngram_bit) != 0;
}

// Turns a text into 64-bit hashes of its word 1-2-grams and character 3-5-grams. The word
// bigrams include the text's edges, "<s> first" and "last </s>": how a request opens ("set",
// "what", "play") says much of what it asks. The gate keeps a row for each hash it has
// learned from, so its table grows with what it is taught rather than being sized for every
// n-gram there could be.
class Featurizer {
 public:
  explicit Featurizer(FeaturizerConfig config = {});

  // One hash per n-gram occurrence, appended to out (cleared first). Allocation-free once out
  // has grown (a per-thread buffer holds the marked words): this is on the routing hot path.
  void features(std::string_view text, std::vector<std::uint64_t>& out) const;
  std::vector<std::uint64_t> features(std::string_view text) const;
  // The n-grams themselves, in the order features() hashes them: for tests and explanations.
  std::vector<std::string> ngrams(std::string_view text) const;

  const FeaturizerConfig& config() const { return config_; }

 private:
  template <typename Visit>
  void each_ngram(std::string_view text, Visit&& visit) const;

  FeaturizerConfig config_;
};

}  // namespace requip::router

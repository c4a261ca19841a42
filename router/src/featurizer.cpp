#include "requip/router/featurizer.hpp"

#include <stdexcept>

namespace requip::router {

namespace {

using detail::lower;
using detail::word_byte;

// FNV-1a, seeded per n-gram kind so that the word "abc" and the char 3-gram "abc" differ.
constexpr std::uint64_t fnv_prime = 1099511628211ull;
constexpr std::uint64_t word_seed = 14695981039346656037ull;
constexpr std::uint64_t char_seed = word_seed ^ 0x9e3779b97f4a7c15ull;

std::uint64_t hash_bytes(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes)
    hash = (hash ^ c) * fnv_prime;
  return hash;
}

// Never a word: words hold no '<'.
constexpr std::string_view text_start = "<s>";
constexpr std::string_view text_end = "</s>";

// A word n-gram is its words joined by single spaces; a char n-gram is contiguous.
struct Gram {
  std::uint64_t seed;
  std::string_view first;
  std::string_view second;  // the next word of a bigram, else empty
};

}  // namespace

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> result;
  for_each_word(text, [&](std::string_view word) { result.emplace_back(word); });
  return result;
}

std::string normalize(std::string_view text) {
  std::string result;
  for (const auto& word : words(text)) {
    if (!result.empty()) result.push_back(' ');
    result += word;
  }
  return result;
}

Featurizer::Featurizer(FeaturizerConfig config) : config_(config) {
  if (config_.max_word_ngram < 1 || config_.max_word_ngram > 2 || config_.min_char_ngram < 1 ||
      config_.max_char_ngram < config_.min_char_ngram) {
    throw std::invalid_argument(
        "featurizer: need word n-grams of 1 or 2, and 1 <= min_char <= max_char");
  }
}

template <typename Visit>
void Featurizer::each_ngram(std::string_view text, Visit&& visit) const {
  // padded holds "<w1> <w2> ...", so each word with its markers is one contiguous run.
  thread_local std::string padded;
  padded.clear();
  bool in_word = false;
  for (unsigned char c : text) {
    if (word_byte(c)) {
      if (!in_word) padded += padded.empty() ? "<" : " <";
      padded.push_back(lower(c));
      in_word = true;
    } else if (in_word) {
      padded.push_back('>');
      in_word = false;
    }
  }
  if (in_word) padded.push_back('>');

  std::string_view previous;
  std::size_t start = 0;
  while (start < padded.size()) {
    std::size_t end = padded.find(' ', start);
    if (end == std::string::npos) end = padded.size();
    const std::string_view marked(padded.data() + start, end - start);  // "<word>"
    const std::string_view word = marked.substr(1, marked.size() - 2);
    visit(Gram{word_seed, word, {}});
    if (config_.max_word_ngram >= 2) {
      visit(Gram{word_seed, previous.empty() ? text_start : previous, word});
    }
    previous = word;
    const auto length = static_cast<int>(marked.size());
    for (int from = 0; from < length; ++from) {
      for (int n = config_.min_char_ngram; n <= config_.max_char_ngram && from + n <= length; ++n) {
        visit(Gram{char_seed,
                   marked.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(n)),
                   {}});
      }
    }
    start = end + 1;
  }
  if (config_.max_word_ngram >= 2 && !previous.empty()) {
    visit(Gram{word_seed, previous, text_end});
  }
}

void Featurizer::features(std::string_view text, std::vector<std::uint64_t>& out) const {
  out.clear();
  each_ngram(text, [&](const Gram& gram) {
    std::uint64_t hash = hash_bytes(gram.seed, gram.first);
    if (!gram.second.empty()) hash = hash_bytes(hash_bytes(hash, " "), gram.second);
    out.push_back(gram.seed == word_seed ? hash | word_ngram_bit : hash & ~word_ngram_bit);
  });
}

std::vector<std::uint64_t> Featurizer::features(std::string_view text) const {
  std::vector<std::uint64_t> out;
  features(text, out);
  return out;
}

std::vector<std::string> Featurizer::ngrams(std::string_view text) const {
  std::vector<std::string> out;
  each_ngram(text, [&](const Gram& gram) {
    std::string piece(gram.first);
    if (!gram.second.empty()) piece.append(" ").append(gram.second);
    out.push_back(std::move(piece));
  });
  return out;
}

}  // namespace requip::router

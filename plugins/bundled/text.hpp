#pragma once

// Small text helpers the bundled plugins share. Header-only: each plugin is its own
// library, so each compiles its own copy.

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip::bundled {

inline std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// The text without the trailing characters listed in junk ("what can you do?" -> "... do").
inline std::string trim_end(std::string text, std::string_view junk = " ?!.") {
  while (!text.empty() && junk.find(text.back()) != std::string_view::npos)
    text.pop_back();
  return text;
}

// The text after a leading command phrase, any case ("Say hi" -> "hi"), if it starts so.
inline std::optional<std::string> after_word(std::string_view text, std::string_view word) {
  if (text.size() <= word.size() + 1 || text[word.size()] != ' ') return std::nullopt;
  if (lowercase(text.substr(0, word.size())) != word) return std::nullopt;
  return std::string(text.substr(word.size() + 1));
}

// The words of a text, split at spaces.
inline std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) words.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

}  // namespace requip::bundled

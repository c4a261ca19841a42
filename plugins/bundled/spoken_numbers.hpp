#pragma once

// Numbers as people type them: "12", "2.5", "1,000", "twelve", "forty-two", "a hundred",
// "one hundred and five", "three point five". Header-only, like text.hpp: each plugin is its
// own library and compiles its own copy.

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip::bundled {

// A number found at a position of a word list: its value and how many words it took.
struct SpokenNumber {
  double value;
  std::size_t words;
};

namespace detail {

// 0 to 19, and the tens; -1 for a word that is neither.
inline int small_number(std::string_view word) {
  static constexpr std::array<std::string_view, 20> units{
      "zero",     "one",     "two",     "three",     "four",     "five",    "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static constexpr std::array<std::string_view, 8> tens{"twenty", "thirty",  "forty",  "fifty",
                                                        "sixty",  "seventy", "eighty", "ninety"};
  for (std::size_t i = 0; i < units.size(); ++i)
    if (word == units[i]) return static_cast<int>(i);
  for (std::size_t i = 0; i < tens.size(); ++i)
    if (word == tens[i]) return static_cast<int>(20 + 10 * i);
  return -1;
}

// "1,000", "2.5" and "2e3" as digits; nullopt for anything else.
inline std::optional<double> digits(std::string_view word) {
  std::string plain;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const bool grouping = word[i] == ',' && i > 0 && i + 1 < word.size();
    if (!grouping) plain += word[i];
  }
  double value = 0;
  const char* end = plain.data() + plain.size();
  auto [stop, error] = std::from_chars(plain.data(), end, value);
  if (error != std::errc() || stop != end || plain.empty() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "forty-two" is one word of two parts; each part must be a number word.
inline int hyphenated(std::string_view word) {
  const auto dash = word.find('-');
  if (dash == std::string_view::npos) return small_number(word);
  const int tens = small_number(word.substr(0, dash));
  const int unit = small_number(word.substr(dash + 1));
  if (tens < 20 || tens % 10 != 0 || unit < 1 || unit > 9) return -1;
  return tens + unit;
}

}  // namespace detail

// 100 for "hundred", up to "trillion"; 0 for a word that is no scale.
inline double number_scale(std::string_view word) {
  if (word == "hundred") return 1e2;
  if (word == "thousand") return 1e3;
  if (word == "million") return 1e6;
  if (word == "billion") return 1e9;
  if (word == "trillion") return 1e12;
  return 0;
}

// 2 for "second" or "2nd", as in "the second note" or "to the second power".
inline std::optional<int> spoken_ordinal(std::string_view word) {
  static constexpr std::array<std::string_view, 12> ordinals{
      "first",   "second", "third", "fourth", "fifth",    "sixth",
      "seventh", "eighth", "ninth", "tenth",  "eleventh", "twelfth"};
  for (std::size_t i = 0; i < ordinals.size(); ++i)
    if (word == ordinals[i]) return static_cast<int>(i + 1);
  int value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  const std::string_view suffix(end, static_cast<std::size_t>(word.data() + word.size() - end));
  const bool letters = suffix.size() == 2 && std::isalpha(static_cast<unsigned char>(suffix[0])) &&
                       std::isalpha(static_cast<unsigned char>(suffix[1]));
  if (error != std::errc() || !letters) return std::nullopt;
  return value;
}

// The number that starts at words[at] (lowercase words), if one does.
inline std::optional<SpokenNumber> spoken_number(const std::vector<std::string>& words,
                                                 std::size_t at) {
  if (at >= words.size()) return std::nullopt;
  if (auto value = detail::digits(words[at])) return SpokenNumber{*value, 1};

  double total = 0;     // the thousands, millions... already closed
  double current = 0;   // the group under a hundred or a thousand being read
  int last_small = -1;  // the last word read, if it was 0..99: "twenty one", not "one two"
  std::size_t i = at;
  bool any = false;
  for (; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool article = (word == "a" || word == "an") && !any && i + 1 < words.size() &&
                         number_scale(words[i + 1]) > 0;
    if (article) {
      current = 1;
      any = true;
      continue;
    }
    if (const int small = detail::hyphenated(word); small >= 0) {
      const bool after_tens = last_small >= 20 && last_small % 10 == 0 && small < 10 && small > 0;
      if (last_small >= 0 && !after_tens) break;
      current += small;
      last_small = small;
      any = true;
      continue;
    }
    if (const double scale = number_scale(word); scale > 0 && any) {
      if (scale == 1e2) {
        current = (current == 0 ? 1 : current) * scale;
      } else {
        total += (current == 0 ? 1 : current) * scale;
        current = 0;
      }
      last_small = -1;
      continue;
    }
    // "one hundred and five": "and" belongs to the number only between a scale and more.
    if (word == "and" && any && last_small < 0 && i + 1 < words.size() &&
        detail::hyphenated(words[i + 1]) >= 0) {
      continue;
    }
    break;
  }
  if (!any) return std::nullopt;
  double value = total + current;
  // "three point one four": the digits after "point", one word each.
  if (i + 1 < words.size() && words[i] == "point") {
    double place = 0.1;
    std::size_t j = i + 1;
    for (; j < words.size(); ++j) {
      const int digit = detail::small_number(words[j]);
      if (digit < 0 || digit > 9) break;
      value += digit * place;
      place /= 10;
    }
    if (j > i + 1) i = j;
  }
  return SpokenNumber{value, i - at};
}

}  // namespace requip::bundled

#include "spoken_words.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <utility>

#include "expression.hpp"

namespace requip::calculator {

namespace {

// Words that are only ever a politeness or a request, never part of the arithmetic.
// Whether each one asks to calculate decides if a failure is explained or left to others.
struct LeadIn {
  std::string_view words;
  bool asks;
};
constexpr LeadIn lead_ins[] = {
    {"please", false},   {"hey", false},         {"ok", false},           {"okay", false},
    {"can you", false},  {"could you", false},   {"would you", false},    {"will you", false},
    {"tell me", false},  {"do you know", false}, {"calculate", true},     {"compute", true},
    {"calc", true},      {"evaluate", true},     {"work out", true},      {"figure out", true},
    {"solve", true},     {"what is", false},     {"what's", false},       {"whats", false},
    {"what are", false}, {"how much is", false}, {"how much are", false}, {"how much", false},
    {"does", false},     {"do", false},          {"would", false},        {"will", false},
    {"what", false},     {"result of", false},   {"value of", false},     {"answer to", false}};

// What may follow the arithmetic of a question: "2 plus 2 equals", "... for me, please".
constexpr std::string_view closings[] = {"be",      "=",      "equals",    "equal to", "equal",
                                         "is",      "please", "for me",    "make",     "makes",
                                         "come to", "give",   "thank you", "thanks",   ","};

bool letter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool symbol(char c) {
  return std::string_view("+-*/^%(),=").find(c) != std::string_view::npos;
}
bool space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) ||
         std::string_view("?:;\"").find(c) != std::string_view::npos;
}
bool at(std::string_view text, std::size_t i, bool (*is)(char)) {
  return i < text.size() && is(text[i]);
}

// "2.5", "1e3", "3rd", and "1,000" outside parentheses, where a comma separates arguments.
std::size_t number_end(std::string_view text, std::size_t i, bool grouping) {
  const auto thousands = [&](std::size_t j) {
    return grouping && text[j] == ',' && at(text, j + 1, digit) && at(text, j + 2, digit) &&
           at(text, j + 3, digit) && !at(text, j + 4, digit);
  };
  while (i < text.size() &&
         (digit(text[i]) || (text[i] == '.' && at(text, i + 1, digit)) || thousands(i)))
    i += text[i] == ',' ? 4 : 1;
  const std::size_t sign = at(text, i + 1, [](char c) { return c == '-' || c == '+'; });
  if (i < text.size() && text[i] == 'e' && at(text, i + 1 + sign, digit)) {
    i += 1 + sign;
    while (at(text, i, digit))
      ++i;
  }
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (text.substr(i, 2) == suffix && !at(text, i + 2, letter)) return i + 2;
  }
  return i;
}

std::size_t letters_end(std::string_view text, std::size_t i) {
  while (at(text, i, letter))
    ++i;
  return i;
}

// A word: "what's", "forty-two" (not "pi-e"), and the parser's "log2" (but "x4" is x, 4).
std::size_t word_end(std::string_view text, std::size_t start) {
  std::size_t i = letters_end(text, start);
  while (i + 1 < text.size() && (text[i] == '\'' || text[i] == '-') && letter(text[i + 1])) {
    const std::size_t end = letters_end(text, i + 1);
    if (text[i] == '-') {
      const Words joined{std::string(text.substr(start, end - start))};
      const auto number = bundled::spoken_number(joined, 0);
      if (!number || number->words != 1) break;
    }
    i = end;
  }
  std::size_t digits = i;
  while (at(text, digits, digit))
    ++digits;
  if (digits > i && function_arity(text.substr(start, digits - start))) return digits;
  return i;
}

// The text in lowercase, with the symbols typed as ×, ÷, − (or ** as in Python) as the
// parser's, and ’ as an apostrophe.
std::string respelled(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> spellings[] = {
      {"\xC3\x97", "*"},
      {"\xC3\xB7", "/"},
      {"\xE2\x88\x92", "-"},
      {"\xE2\x80\x99", "'"},
      {"**", "^"}};
  std::string result;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [from, to] : spellings) {
      if (text.substr(i, from.size()) != from) continue;
      result += to;
      i += from.size();
      replaced = true;
      break;
    }
    if (!replaced) result += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
  }
  return result;
}

}  // namespace

Words spoken_tokens(std::string_view original) {
  const std::string text = respelled(original);
  Words words;
  int depth = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const bool decimal = c == '.' && at(text, i + 1, digit);
    if (space(c) || (c == '.' && !decimal)) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    if (digit(c) || decimal) {
      end = number_end(text, i, depth == 0);
    } else if (letter(c)) {
      end = word_end(text, i);
    } else if (!symbol(c)) {  // a run of other characters, to be named as not understood
      while (end < text.size() && !std::isalnum(static_cast<unsigned char>(text[end])) &&
             !space(text[end]) && !symbol(text[end]) && text[end] != '.')
        ++end;
    }
    depth += (c == '(') - (c == ')');
    if (text.substr(i, end - i) != "the") words.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

std::size_t match(const Words& words, std::size_t at, std::string_view phrase) {
  std::size_t count = 0;
  while (!phrase.empty()) {
    const std::size_t gap = phrase.find(' ');
    if (at + count >= words.size() || words[at + count] != phrase.substr(0, gap)) return 0;
    ++count;
    phrase = gap == std::string_view::npos ? "" : phrase.substr(gap + 1);
  }
  return count;
}

Request request_in(const Words& words) {
  Request request{0, words.size(), false};
  for (bool found = true; found;) {
    found = false;
    for (const auto& lead : lead_ins) {
      if (const std::size_t count = match(words, request.begin, lead.words); count > 0) {
        request.begin += count;
        request.asks = request.asks || lead.asks;
        found = true;
        break;
      }
    }
  }
  for (bool found = true; found;) {
    found = false;
    for (const std::string_view closing : closings) {
      const auto count =
          static_cast<std::size_t>(1 + std::count(closing.begin(), closing.end(), ' '));
      if (request.end >= request.begin + count && match(words, request.end - count, closing) > 0) {
        request.end -= count;
        found = true;
      }
    }
  }
  return request;
}

std::optional<int> denominator(std::string_view word) {
  if (word == "half" || word == "halves") return 2;
  if (word.ends_with('s')) word.remove_suffix(1);
  if (word == "quarter") return 4;
  if (word == "hundredth") return 100;
  if (word == "thousandth") return 1000;
  if (word.empty() || !letter(word[0]) || word == "first") return std::nullopt;
  return bundled::spoken_ordinal(word);
}

std::optional<bundled::SpokenNumber> number_at(const Words& words, std::size_t at) {
  auto number = bundled::spoken_number(words, at);
  // "2.5 million", "three point five thousand": a scale after a number that has ended.
  while (number && at + number->words < words.size()) {
    const double scale = bundled::number_scale(words[at + number->words]);
    if (scale == 0) break;
    number->value *= scale;
    ++number->words;
  }
  return number;
}

std::string number_text(double value) {
  const double size = std::fabs(value);
  const bool plain = size == 0 || (size >= 1e-6 && size < 1e15);
  std::array<char, 64> text{};
  const auto format = plain ? std::chars_format::fixed : std::chars_format::general;
  const auto end = std::to_chars(text.data(), text.data() + text.size(), value, format).ptr;
  return std::string(text.data(), end);
}

std::optional<std::string> notation(const Words& words, std::size_t begin) {
  std::string result;
  for (std::size_t i = begin; i < words.size(); ++i) {
    const std::string& word = words[i];
    std::string text = word;
    if (digit(word[0]) || word[0] == '.') {
      const auto number = number_at(words, i);
      if (!number || number->words != 1) return std::nullopt;
      text = number_text(number->value);
    } else if (!function_arity(word) && word != "pi" && word != "e" &&
               !(word.size() == 1 && symbol(word[0]))) {
      return std::nullopt;
    }
    // Spaced as typed most often, so that the parser's positions point near the mistake.
    const bool glued = i == begin || words[i - 1] == "(" || word == ")" || word == "," ||
                       (word == "(" && function_arity(words[i - 1]));
    result += (glued ? "" : " ") + text;
  }
  return result;
}

}  // namespace requip::calculator

#pragma once

// The words of arithmetic text, and what single words and phrases among them mean.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spoken_numbers.hpp"

namespace requip::calculator {

using Words = std::vector<std::string>;

// The words and symbols of arithmetic text, lowercase: "What's 1,000 x 2.5?" is what's,
// 1,000, x, 2.5. A symbol of the parser (+ - * / ^ % ( ) , =) is a word of its own, so is a
// run of other characters; "×", "÷", "−" and "**" become *, /, - and ^. A hyphen or an
// apostrophe inside a word stays when it makes a number word ("forty-two") or a contraction
// ("what's"). "The" goes, as do spaces, ? : ; " and a full stop not before a digit.
Words spoken_tokens(std::string_view text);

// How many words from words[at] spell `phrase` (words separated by single spaces); 0 if
// they do not.
std::size_t match(const Words& words, std::size_t at, std::string_view phrase);

// Where the arithmetic of a request is, words[begin, end): after its lead-ins ("please",
// "can you calculate", "what is", "how much is", "tell me") and before its closings ("=",
// "equals", "please"); and whether a lead-in asks to calculate ("calculate", "compute",
// "work out"...) rather than only asks.
struct Request {
  std::size_t begin;
  std::size_t end;
  bool asks;
};
Request request_in(const Words& words);

// 3 for "third" or "thirds", 2 for "half" and 4 for "quarter", as in "two thirds of 90".
std::optional<int> denominator(std::string_view word);

// The number at words[at], in digits ("1,000", "2e3") or words ("a hundred and five").
std::optional<bundled::SpokenNumber> number_at(const Words& words, std::size_t at);

// The number as the parser reads it, in plain digits where they are short ("1000000",
// "0.25"), so that no sign of an exponent looks like an operator.
std::string number_text(double value);

// The words from words[begin] in the parser's notation ("2 +", "sqrt(1,000)" as
// "sqrt(1000)"), if they are all symbols, numbers in digits, functions and constants.
std::optional<std::string> notation(const Words& words, std::size_t begin);

}  // namespace requip::calculator

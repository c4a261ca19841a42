// The calculator plugin's expression parser and its reading of words, on any text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expression.hpp"
#include "spoken_arithmetic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    requip::calculator::evaluate(text);
  } catch (const requip::calculator::ExpressionError&) {
  }
  try {
    requip::calculator::asks_to_calculate(text);
    requip::calculator::evaluate(requip::calculator::expression_from_words(text));
  } catch (const requip::calculator::ExpressionError&) {
  }
  return 0;
}

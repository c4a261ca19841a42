// calculator: evaluates arithmetic with a real parser (see expression.hpp), never code, typed
// in symbols or in words (see spoken_arithmetic.hpp).

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "expression.hpp"
#include "requip/plugin.hpp"
#include "spoken_arithmetic.hpp"

namespace {

using requip::calculator::ExpressionError;

std::string format_number(double value) {
  if (std::fabs(value) < 1e15 && value == std::round(value)) return fmt::format("{:.0f}", value);
  return fmt::format("{:.12g}", value);
}

// Whether an expression does more than name a number: "2 + 3" and "sqrt(9)" do; "7", "-7"
// and "(pi)" do not, and are left to the skills that "what is 7" may be meant for.
bool has_operation(std::string_view expression) {
  bool operand_next = true;  // where + and - are signs
  for (std::size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') {
      // A number or a name, read whole: the sign in 1e+20 is no operator.
      const bool number = !std::isalpha(static_cast<unsigned char>(c));
      while (i + 1 < expression.size()) {
        const char next = expression[i + 1];
        const bool exponent = number && expression[i] == 'e' && (next == '+' || next == '-');
        if (!std::isalnum(static_cast<unsigned char>(next)) && next != '.' && !exponent) break;
        ++i;
      }
      if (i + 1 < expression.size() && expression[i + 1] == '(') return true;  // a function
      operand_next = false;
    } else if (c == '+' || c == '-') {
      if (!operand_next) return true;
    } else if (c == '(') {
      operand_next = true;
    } else if (c == ')') {
      operand_next = false;
    } else if (c != ' ') {
      return true;
    }
  }
  return false;
}

class Calculator final : public requip::Skill {
 public:
  std::string name() const override { return "calculator"; }
  std::string version() const override { return "1.1.0"; }
  std::string description() const override {
    return "calculates arithmetic in words or symbols: plus, minus, times, divided by, "
           "percent of, squared, square root of, to the power of; + - * / % ^, parentheses, "
           "sqrt, sin, cos, log, abs, pow...";
  }
  std::vector<std::string> examples() const override {
    return {"what is 12 plus 30",
            "8 times 9",
            "how much is 100 divided by 8",
            "what's 2 to the power of 10",
            "3 raised to the fourth",
            "what is 15 percent of 80",
            "square root of 144",
            "calculate 3 squared minus 1",
            "five cubed plus twelve",
            "what is twelve over four",
            "17 modulo 5",
            "negative 4 x 9",
            "the sum of 4 and 9",
            "multiply 6 by 7",
            "two thirds of 90",
            "log of 1000",
            "calculate 2 + 3 * 4",
            "compute sqrt(16) / 2^3"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string& text = stimulus.ear;
    // An explicit request gets the reason when the arithmetic is wrong; anything else is
    // only taken if it is arithmetic, so that other skills get "what is the time" or "7".
    const bool explain = requip::calculator::asks_to_calculate(text);
    try {
      const std::string expression = requip::calculator::expression_from_words(text);
      const double value = requip::calculator::evaluate(expression);
      if (!explain && !has_operation(expression)) return std::nullopt;
      return requip::Algorithm::say(format_number(value));
    } catch (const ExpressionError& error) {
      if (!explain) return std::nullopt;
      return requip::Algorithm::say(fmt::format("I cannot calculate that: {}.", error.what()));
    }
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Calculator)

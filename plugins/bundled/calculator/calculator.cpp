// calculator: evaluates arithmetic with a real parser (see expression.hpp), never code.

#include <fmt/format.h>

#include <cmath>

#include "expression.hpp"
#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using requip::bundled::lowercase;

std::string format_number(double value) {
  if (std::fabs(value) < 1e15 && value == std::round(value)) return fmt::format("{:.0f}", value);
  return fmt::format("{:.12g}", value);
}

class Calculator final : public requip::Skill {
 public:
  std::string name() const override { return "calculator"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override {
    return "calculates: + - * / % ^, parentheses, sqrt, sin, cos, log, abs, pow...";
  }
  std::vector<std::string> examples() const override {
    return {"calculate 2 + 3 * 4", "what is 12 / 4", "sqrt(16) + 2^3", "compute sin(pi / 2)"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string text = requip::bundled::trim_end(lowercase(stimulus.ear), " ?=");
    // An explicit request gets the reason when the expression is wrong; otherwise the input
    // is only taken if it is arithmetic, so that other skills get everything else.
    for (std::string_view prefix : {"calculate ", "compute ", "calc "}) {
      if (text.starts_with(prefix)) return answer(text.substr(prefix.size()), true);
    }
    for (std::string_view prefix : {"what is ", "what's "}) {
      if (text.starts_with(prefix)) return answer(text.substr(prefix.size()), false);
    }
    return answer(text, false);
  }

 private:
  static std::optional<requip::Algorithm> answer(std::string_view expression, bool explain) {
    try {
      return requip::Algorithm::say(format_number(requip::calculator::evaluate(expression)));
    } catch (const requip::calculator::ExpressionError& error) {
      if (!explain) return std::nullopt;
      return requip::Algorithm::say(fmt::format("I cannot calculate that: {}.", error.what()));
    }
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Calculator)

#include "expression.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

namespace requip::calculator {

namespace {

struct Function {
  std::string_view name;
  std::size_t arity;
  double (*apply)(const std::vector<double>&);
};

const std::array<Function, 20> functions{{
    {"sqrt", 1, [](const auto& a) { return std::sqrt(a[0]); }},
    {"cbrt", 1, [](const auto& a) { return std::cbrt(a[0]); }},
    {"sin", 1, [](const auto& a) { return std::sin(a[0]); }},
    {"cos", 1, [](const auto& a) { return std::cos(a[0]); }},
    {"tan", 1, [](const auto& a) { return std::tan(a[0]); }},
    {"asin", 1, [](const auto& a) { return std::asin(a[0]); }},
    {"acos", 1, [](const auto& a) { return std::acos(a[0]); }},
    {"atan", 1, [](const auto& a) { return std::atan(a[0]); }},
    {"exp", 1, [](const auto& a) { return std::exp(a[0]); }},
    {"ln", 1, [](const auto& a) { return std::log(a[0]); }},
    {"log", 1, [](const auto& a) { return std::log10(a[0]); }},
    {"log2", 1, [](const auto& a) { return std::log2(a[0]); }},
    {"abs", 1, [](const auto& a) { return std::fabs(a[0]); }},
    {"floor", 1, [](const auto& a) { return std::floor(a[0]); }},
    {"ceil", 1, [](const auto& a) { return std::ceil(a[0]); }},
    {"round", 1, [](const auto& a) { return std::round(a[0]); }},
    {"pow", 2, [](const auto& a) { return std::pow(a[0], a[1]); }},
    {"min", 2, [](const auto& a) { return std::fmin(a[0], a[1]); }},
    {"max", 2, [](const auto& a) { return std::fmax(a[0], a[1]); }},
    {"hypot", 2, [](const auto& a) { return std::hypot(a[0], a[1]); }},
}};

// Grammar, lowest precedence first:
//   sum     = product { ("+" | "-") product }
//   product = unary { ("*" | "/" | "%") unary }
//   unary   = ("-" | "+") unary | power
//   power   = primary [ "^" unary ]
//   primary = number | name | name "(" sum { "," sum } ")" | "(" sum ")"
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  double parse() {
    const double value = sum();
    skip_spaces();
    if (at_ < text_.size()) fail("unexpected '" + std::string(1, text_[at_]) + "'");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ExpressionError(what + " at position " + std::to_string(at_));
  }

  void skip_spaces() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_])))
      ++at_;
  }

  bool accept(char symbol) {
    skip_spaces();
    if (at_ < text_.size() && text_[at_] == symbol) {
      ++at_;
      return true;
    }
    return false;
  }

  double sum() {
    double value = product();
    while (true) {
      if (accept('+')) {
        value += product();
      } else if (accept('-')) {
        value -= product();
      } else {
        return value;
      }
    }
  }

  double product() {
    double value = unary();
    while (true) {
      if (accept('*')) {
        value *= unary();
      } else if (accept('/')) {
        const std::size_t position = at_;
        const double divisor = unary();
        if (divisor == 0)
          throw ExpressionError("division by zero at position " + std::to_string(position));
        value /= divisor;
      } else if (accept('%')) {
        const double divisor = unary();
        if (divisor == 0) fail("modulo by zero");
        value = std::fmod(value, divisor);
      } else {
        return value;
      }
    }
  }

  // Every recursion of the grammar passes through here, so one counter bounds the stack
  // however the input nests: parentheses, function calls, signs or powers.
  double unary() {
    if (++depth_ > max_nesting) {
      fail("the expression nests deeper than " + std::to_string(max_nesting) +
           " levels: simplify it");
    }
    double value = 0;
    if (accept('-')) {
      value = -unary();
    } else if (accept('+')) {
      value = unary();
    } else {
      value = power();
    }
    --depth_;
    return value;
  }

  double power() {
    const double base = primary();
    if (accept('^')) return std::pow(base, unary());  // right-associative through unary()
    return base;
  }

  double primary() {
    skip_spaces();
    if (at_ >= text_.size()) fail("expected a number");
    if (accept('(')) {
      const double value = sum();
      if (!accept(')')) fail("expected ')'");
      return value;
    }
    const char next = text_[at_];
    if (std::isdigit(static_cast<unsigned char>(next)) || next == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(next))) return named();
    fail("expected a number");
  }

  double number() {
    double value = 0;
    auto [end, error] = std::from_chars(text_.data() + at_, text_.data() + text_.size(), value);
    if (error != std::errc()) fail("malformed number");
    at_ = static_cast<std::size_t>(end - text_.data());
    return value;
  }

  double named() {
    const std::size_t start = at_;
    while (at_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[at_])))
      ++at_;
    const std::string_view name = text_.substr(start, at_ - start);
    if (name == "pi") return std::numbers::pi;
    if (name == "e") return std::numbers::e;
    for (const auto& function : functions) {
      if (function.name != name) continue;
      if (!accept('(')) fail("expected '(' after " + std::string(name));
      std::vector<double> arguments{sum()};
      while (accept(','))
        arguments.push_back(sum());
      if (!accept(')')) fail("expected ')'");
      if (arguments.size() != function.arity) {
        throw ExpressionError(std::string(name) + " takes " + std::to_string(function.arity) +
                              " argument(s), got " + std::to_string(arguments.size()));
      }
      return function.apply(arguments);
    }
    at_ = start;
    fail("unknown name '" + std::string(name) + "'");
  }

  static constexpr std::size_t max_nesting = 200;

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t depth_ = 0;
};

}  // namespace

double evaluate(std::string_view expression) {
  const double value = Parser(expression).parse();
  if (std::isnan(value))
    throw ExpressionError("the result is not a number (outside a function's domain?)");
  if (std::isinf(value)) throw ExpressionError("the result is too large");
  return value;
}

std::optional<std::size_t> function_arity(std::string_view name) {
  for (const auto& function : functions) {
    if (function.name == name) return function.arity;
  }
  return std::nullopt;
}

}  // namespace requip::calculator

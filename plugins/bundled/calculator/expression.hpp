#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace requip::calculator {

// Why an expression cannot be evaluated, with the position (0-based byte offset) it refers to.
class ExpressionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Evaluates an arithmetic expression: numbers (1, 2.5, 1e3), + - * / % and ^ (power,
// right-associative, binding tighter than unary minus: -2^2 is -4), parentheses, the
// constants pi and e, and the functions sqrt, cbrt, sin, cos, tan, asin, acos, atan, exp,
// ln, log (base 10), log2, abs, floor, ceil, round, pow(x, y), min(x, y), max(x, y).
// A recursive-descent parser: nothing is ever executed but arithmetic. Throws
// ExpressionError for bad syntax, unknown names, nesting deeper than 200 levels, and
// results that are not finite numbers.
double evaluate(std::string_view expression);

// How many arguments evaluate()'s function `name` takes; nullopt if it has none of that name.
std::optional<std::size_t> function_arity(std::string_view name);

}  // namespace requip::calculator

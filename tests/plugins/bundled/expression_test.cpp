#include <catch2/catch.hpp>

#include <cmath>

#include "expression.hpp"

using requip::calculator::evaluate;
using requip::calculator::ExpressionError;
using requip::calculator::function_arity;

TEST_CASE("calculator expression: precedence, parentheses and associativity",
          "[plugins][calculator]") {
  CHECK(evaluate("2 + 3 * 4") == 14);
  CHECK(evaluate("(2 + 3) * 4") == 20);
  CHECK(evaluate("10 - 4 - 3") == 3);   // left-associative
  CHECK(evaluate("2 ^ 3 ^ 2") == 512);  // right-associative
  CHECK(evaluate("7 % 4") == 3);
  CHECK(evaluate("1.5e2 / 3") == 50);
}

TEST_CASE("calculator expression: unary minus binds looser than a power", "[plugins][calculator]") {
  CHECK(evaluate("-2^2") == -4);
  CHECK(evaluate("(-2)^2") == 4);
  CHECK(evaluate("2 * -3") == -6);
  CHECK(evaluate("--3") == 3);
}

TEST_CASE("calculator expression: functions and constants", "[plugins][calculator]") {
  CHECK(evaluate("sqrt(16) + abs(-2)") == 6);
  CHECK(evaluate("pow(2, 10)") == 1024);
  CHECK(evaluate("log(1000)") == Approx(3));
  CHECK(evaluate("sin(pi / 2)") == Approx(1));
  CHECK(evaluate("cos(0)") == 1);
  CHECK(evaluate("ln(e)") == Approx(1));
  CHECK(evaluate("max(3, min(9, 4))") == 4);
}

TEST_CASE("calculator expression: tells how many arguments each of its functions takes",
          "[plugins][calculator]") {
  CHECK(function_arity("sqrt") == 1u);
  CHECK(function_arity("log2") == 1u);
  CHECK(function_arity("pow") == 2u);
  CHECK_FALSE(function_arity("pi"));  // a constant, not a function
  CHECK_FALSE(function_arity("system"));
}

TEST_CASE("calculator expression: errors say what is wrong and where", "[plugins][calculator]") {
  CHECK_THROWS_WITH(evaluate("2 +"), "expected a number at position 3");
  CHECK_THROWS_WITH(evaluate("(1 + 2"), "expected ')' at position 6");
  CHECK_THROWS_WITH(evaluate("1 / 0"), Catch::Contains("division by zero"));
  CHECK_THROWS_WITH(evaluate("foo(2)"), "unknown name 'foo' at position 0");
  CHECK_THROWS_WITH(evaluate("pow(2)"), "pow takes 2 argument(s), got 1");
  CHECK_THROWS_WITH(evaluate("sqrt(-1)"), Catch::Contains("not a number"));
  CHECK_THROWS_WITH(evaluate("2 3"), "unexpected '3' at position 2");
  CHECK_THROWS_AS(evaluate("system(\"ls\")"), ExpressionError);  // no code is ever run
}

TEST_CASE("calculator expression: nesting is bounded, so no input can overflow the stack",
          "[plugins][calculator]") {
  const auto nested = [](std::size_t depth, std::string_view open, std::string_view close) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i)
      text += open;
    text += "1";
    for (std::size_t i = 0; i < depth; ++i)
      text += close;
    return text;
  };
  CHECK(evaluate(nested(150, "(", ")")) == 1);
  CHECK_THROWS_WITH(evaluate(nested(15000, "(", ")")), Catch::Contains("nests deeper than 200"));
  CHECK_THROWS_WITH(evaluate(nested(15000, "sqrt(", ")")), Catch::Contains("nests deeper"));
  CHECK_THROWS_WITH(evaluate(nested(15000, "-", "")), Catch::Contains("nests deeper"));
  CHECK_THROWS_WITH(evaluate(nested(15000, "2^", "")), Catch::Contains("nests deeper"));
}

#pragma once

// Arithmetic as people type it ("what's twelve plus 30?", "square root of 144",
// "15 percent of 80"), turned into an expression for evaluate(). Nothing is computed here:
// the parser stays the one judge of what an expression means.

#include <string>
#include <string_view>

#include "expression.hpp"

namespace requip::calculator {

// The expression for evaluate() that `text` (in any case) asks for. Understands:
//  - numbers in digits ("1,000", "2.5", "1e3") or words ("forty-two", "a hundred and five",
//    "three point five"), with a scale ("2.5 million"), the constants pi and e, fractions
//    ("two thirds", "half", "two and a half");
//  - operators between operands, in words or symbols: plus, minus, less, times, x,
//    multiplied by, divided by, over, mod, modulo, to the power of, raised to, to the Nth
//    power; + - * / % ^ and ** × ÷;
//  - after an operand: squared, cubed; percent ("10 percent" is 0.1, and "50 plus 10
//    percent" is 55, as on a calculator); "N percent of M" or "N% of M" (N/100*M), "N% off
//    M"; a '%' before an operand stays the parser's modulo; "two thirds of 90";
//  - before an operand, binding to it alone ("square root of 144 plus 1" is sqrt(144)+1):
//    negative (the sign of a number: "negative 2 squared" is 4), square root of, cube root
//    of, square of, cube of, sine, cosine, tangent, log, natural log, absolute value of,
//    double, twice, triple, and every one-argument function of evaluate() ("sqrt 16");
//  - operations named first: the sum, product, difference, quotient or average of A and B
//    (or of a list), add A to B, subtract A from B, multiply A by B, divide A by B, the
//    remainder of A divided by B; evaluate()'s own calls, as in pow(2, 10);
//  - "the" anywhere; lead-ins such as "what is", "how much is", "please calculate", "tell
//    me"; a closing "=", "equals" or "?".
// Throws ExpressionError naming the first word it does not understand
// (`I do not understand "bananas"`), or saying what is missing where; except that wrong
// arithmetic written all in evaluate()'s notation ("2 +") comes back as that notation, for
// evaluate() to say what is wrong in its own terms, with a position.
std::string expression_from_words(std::string_view text);

// Whether `text` explicitly asks for a calculation ("calculate ...", "please
// compute ...", "can you work out ..."), and so deserves the reason when it cannot be done.
bool asks_to_calculate(std::string_view text);

}  // namespace requip::calculator

#include "spoken_arithmetic.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "spoken_words.hpp"

// Strings are built from a char, as in '(' + inner, not from a one-letter literal: g++ 12 at
// -O3 reports "(" + inner as an overlapping memcpy (GCC bug 105329), fatal under -Werror.

namespace requip::calculator {

namespace {

// Operators between two operands, as their symbols for the parser.
struct Operator {
  std::string_view words;
  std::string_view symbol;
};
constexpr Operator binary_operators[] = {
    {"plus", "+"},          {"+", "+"},          {"added to", "+"}, {"minus", "-"}, {"-", "-"},
    {"less", "-"},          {"take away", "-"},  {"times", "*"},    {"x", "*"},     {"*", "*"},
    {"multiplied by", "*"}, {"divided by", "/"}, {"over", "/"},     {"/", "/"},     {"mod", "%"},
    {"modulo", "%"},        {"modulus", "%"},    {"%", "%"},        {"^", "^"}};

// "to" alone too, as in "2 to the 10th" or "2 to the 10".
constexpr std::string_view powers[] = {"to power of",     "to power",  "raised to power of",
                                       "raised to power", "raised to", "to"};

// Words that wrap the operand after them (and an optional "of"). "square root" comes before
// "square", which it starts with.
struct Prefix {
  std::string_view words;
  std::string_view before;
  std::string_view after;
};
constexpr Prefix prefixes[] = {{"negative", "(-", ")"},
                               {"square root", "sqrt(", ")"},
                               {"cube root", "cbrt(", ")"},
                               {"root", "sqrt(", ")"},
                               {"square", "(", ")^2"},
                               {"cube", "(", ")^3"},
                               {"sine", "sin(", ")"},
                               {"cosine", "cos(", ")"},
                               {"tangent", "tan(", ")"},
                               {"natural log", "ln(", ")"},
                               {"natural logarithm", "ln(", ")"},
                               {"logarithm", "log(", ")"},
                               {"absolute value", "abs(", ")"},
                               {"double", "(2*", ")"},
                               {"twice", "(2*", ")"},
                               {"triple", "(3*", ")"}};

// Forms that name an operation, then list its operands: "the sum of 2, 3 and 4". Each '|'
// separates alternatives.
enum class Combine { in_order, last_first, average };
struct Form {
  std::string_view words;
  std::string_view symbol;
  std::string_view opening;  // what may come between the name and the first operand
  std::string_view joining;  // what comes between two operands, besides a comma
  Combine combine = Combine::in_order;
};
constexpr Form forms[] = {
    {"sum", "+", "of", "and"},
    {"total", "+", "of", "and"},
    {"product", "*", "of", "and"},
    {"difference", "-", "of|between", "and"},
    {"quotient", "/", "of", "and"},
    {"average", "+", "of", "and", Combine::average},
    {"mean", "+", "of", "and", Combine::average},
    {"add", "+", "", "and|to"},
    {"subtract", "-", "", "from", Combine::last_first},
    {"multiply", "*", "", "by|and"},
    {"divide", "/", "", "by"},
    {"remainder", "%", "of|when|after", "divided by|is divided by|over|by|mod|modulo"}};

// Words of the arithmetic that the tables above do not hold.
constexpr std::string_view connectors[] = {
    "a", "an", "point", "hundred", "thousand", "million", "billion", "trillion", "(",
    ")", ",",  "=",     "squared", "cubed",    "percent", "per",     "cent",     "off"};

constexpr std::size_t max_nesting = 200;

// Whether `word` is one of the words of `phrase`, in any of its alternatives.
bool in_phrase(std::string_view phrase, std::string_view word) {
  while (!phrase.empty()) {
    const std::size_t end = std::min(phrase.find_first_of(" |"), phrase.size());
    if (phrase.substr(0, end) == word) return true;
    phrase.remove_prefix(std::min(end + 1, phrase.size()));
  }
  return false;
}

// Whether `word` belongs to the arithmetic, so that finding it in the wrong place is
// reported as such rather than as a word not understood.
bool known(const std::string& word) {
  if (number_at({word}, 0) || bundled::spoken_ordinal(word) || denominator(word) ||
      function_arity(word) || word == "pi" || word == "e") {
    return true;
  }
  const auto mentions = [&word](std::string_view phrase) { return in_phrase(phrase, word); };
  const auto in_form = [&mentions](const Form& form) {
    return mentions(form.words) || mentions(form.opening) || mentions(form.joining);
  };
  return std::ranges::any_of(connectors, mentions) || std::ranges::any_of(powers, mentions) ||
         std::ranges::any_of(binary_operators, mentions, &Operator::words) ||
         std::ranges::any_of(prefixes, mentions, &Prefix::words) ||
         std::ranges::any_of(forms, in_form);
}

// The operand in parentheses, unless it is one group already: "(16)", not "((16))".
std::string bracketed(const std::string& value) {
  int depth = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    depth += (value[i] == '(') - (value[i] == ')');
    if (depth == 0) return i + 1 == value.size() && i > 0 ? value : '(' + value + ")";
  }
  return '(' + value + ")";
}

// An operand that a postfix power may follow as it is: "2" or "pi", but "(-2)".
std::string grouped(const std::string& value) {
  for (const char c : value)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') return bracketed(value);
  return value;
}

// Bounds the recursion, so that no input can overflow the stack: every recursion passes an
// operand or a core. What the parser counts as one level of nesting takes at most four of
// these, so a nesting the parser would refuse still reaches it, and its message.
class Nesting {
 public:
  explicit Nesting(std::size_t& depth) : depth_(depth) {
    if (++depth_ > 4 * max_nesting) {
      throw ExpressionError("the expression nests deeper than " + std::to_string(max_nesting) +
                            " levels: simplify it");
    }
  }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;
  ~Nesting() { --depth_; }

 private:
  std::size_t& depth_;
};

// A recursive descent over the words, writing the expression as it goes:
//   sequence = operand { operator operand | power exponent }
//   operand  = core { "squared" | "cubed" | percent [ ("of" | "off") operand ] }
//   core     = "(" sequence ")" | sign core | prefix ["of"] core | function call | form
//            | number [ denominator [ "of" operand ] | "and a" denominator ] | constant
class Translation {
 public:
  explicit Translation(std::string_view text) : words_(spoken_tokens(text)) {
    const Request request = request_in(words_);
    words_.resize(request.end);
    at_ = request.begin;
  }

  std::string expression() {
    if (at_ == words_.size()) throw ExpressionError("there is nothing to calculate");
    const std::size_t begin = at_;
    try {
      std::string result = sequence();
      if (at_ < words_.size()) misplaced("an operator");
      return result;
    } catch (const ExpressionError&) {
      // Wrong arithmetic typed all in the parser's notation is the parser's to judge: its
      // message points into the expression ("expected a number at position 3").
      if (const auto symbols = notation(words_, begin)) return *symbols;
      throw;
    }
  }

 private:
  std::string sequence() {
    std::string result = operand();
    while (at_ < words_.size()) {
      if (power()) {
        result += " ^ " + exponent();
      } else if (const Operator* op = operator_at(at_)) {
        at_ += match(words_, at_, op->words);
        const std::string symbol(op->symbol), right = operand();
        // "50 plus 10 percent" is 55, as on a calculator: a percentage added to an amount
        // or taken from it is a percentage of that amount.
        if (percentage_ && (symbol == "+" || symbol == "-")) {
          result = grouped(result) + " * (1 " + symbol + ' ' + right + ")";
        } else {
          result += ' ' + symbol + ' ' + right;
        }
      } else {
        break;
      }
    }
    return result;
  }

  std::string operand() {
    const Nesting nesting(depth_);
    std::string value = core();
    bool percentage = false;
    while (true) {
      if (accept("squared")) {
        value = grouped(value) + "^2";
      } else if (accept("cubed")) {
        value = grouped(value) + "^3";
      } else if (percent("of")) {
        value = '(' + value + "/100*" + operand() + ")";
      } else if (percent("off")) {
        value = '(' + operand() + "*(1-" + value + "/100))";
      } else if (percent("")) {
        value = '(' + value + "/100)";
        percentage = true;
        continue;
      } else {
        percentage_ = percentage;
        return value;
      }
      percentage = false;
    }
  }

  std::string core() {
    const Nesting nesting(depth_);
    if (at_ == words_.size()) misplaced("a number");
    const std::string word = words_[at_];
    if (accept("(")) {
      std::string inner = sequence();
      expect(")");
      return '(' + inner + ")";
    }
    if (accept("-") || accept("minus")) return '-' + core();
    if (accept("+") || accept("plus")) return core();
    if (word == "pi" || word == "e") return words_[at_++];
    for (const auto& prefix : prefixes) {
      if (!accept(prefix.words)) continue;
      accept("of");
      return std::string(prefix.before) + core() + std::string(prefix.after);
    }
    if (const auto arity = function_arity(word)) return call(*arity);
    for (const auto& form : forms) {
      if (accept(form.words)) return combined(form);
    }
    if (const auto number = number_at(words_, at_)) {
      at_ += number->words;
      return fraction(number_text(number->value));
    }
    const bool article = (word == "a" || word == "an") && at_ + 1 < words_.size();
    if (article && denominator(words_[at_ + 1])) {
      ++at_;
      return fraction("1");
    }
    if (denominator(word)) return fraction("1");  // "half of 10"
    misplaced("a number");
  }

  // "sqrt 16", "sin of pi", and evaluate()'s own "pow(2, 10)".
  std::string call(std::size_t arity) {
    const std::string name = words_[at_++];
    if (arity == 1) {
      accept("of");
      return name + bracketed(core());
    }
    expect("(");
    std::string arguments = sequence();
    while (accept(","))
      arguments += ", " + sequence();
    expect(")");
    return name + '(' + arguments + ")";
  }

  std::string combined(const Form& form) {
    accept_any(form.opening);
    std::vector<std::string> operands{operand()};
    while (accept(",") || accept_any(form.joining))
      operands.push_back(operand());
    if (operands.size() < 2)
      misplaced("\"" + std::string(form.joining.substr(0, form.joining.find('|'))) + "\"");
    if (form.combine == Combine::last_first) {
      std::rotate(operands.begin(), operands.end() - 1, operands.end());
    }
    std::string result = operands.front();
    for (std::size_t i = 1; i < operands.size(); ++i)
      result += ' ' + std::string(form.symbol) + ' ' + operands[i];
    if (form.combine == Combine::average) {
      return "((" + result + ") / " + std::to_string(operands.size()) + ")";
    }
    return '(' + result + ")";
  }

  // After a number: "two thirds", "two thirds of 90", "two and a half".
  std::string fraction(const std::string& number) {
    const bool article = at_ + 2 < words_.size() && words_[at_] == "and" &&
                         (words_[at_ + 1] == "a" || words_[at_ + 1] == "an");
    if (const auto parts = article ? denominator(words_[at_ + 2]) : std::nullopt) {
      at_ += 3;
      return '(' + number + " + 1/" + std::to_string(*parts) + ")";
    }
    const auto parts = at_ < words_.size() ? denominator(words_[at_]) : std::nullopt;
    if (!parts) return number;
    ++at_;
    std::string value = '(' + number + "/" + std::to_string(*parts);
    if (accept("of")) value += '*' + operand();
    return value + ")";
  }

  // "percent", "per cent" or "%", then `next` ("of", "off"), or else no operand: "%"
  // before an operand is the parser's modulo.
  bool percent(std::string_view next) {
    for (const std::string_view sign : {"percent", "per cent", "%"}) {
      const std::size_t after = at_ + match(words_, at_, sign);
      if (after == at_) continue;
      const Operator* op = operator_at(after);
      const bool last = after == words_.size() || words_[after] == ")" || words_[after] == "," ||
                        (op != nullptr && op->symbol != "+" && op->symbol != "-");
      if (next.empty() ? (sign != "%" || last) : match(words_, after, next) > 0) {
        at_ = after + (next.empty() ? 0 : 1);
        return true;
      }
    }
    return false;
  }

  bool power() {
    return std::ranges::any_of(powers, [this](std::string_view phrase) { return accept(phrase); });
  }

  // "to the 10th power", "to the tenth", or any operand.
  std::string exponent() {
    const auto value = at_ < words_.size() ? bundled::spoken_ordinal(words_[at_]) : std::nullopt;
    if (!value) return operand();
    ++at_;
    accept("power");
    return std::to_string(*value);
  }

  const Operator* operator_at(std::size_t at) const {
    const auto op = std::ranges::find_if(
        binary_operators, [&](const Operator& each) { return match(words_, at, each.words) > 0; });
    return op == std::end(binary_operators) ? nullptr : op;
  }

  bool accept(std::string_view phrase) {
    const std::size_t count = match(words_, at_, phrase);
    at_ += count;
    return count > 0;
  }

  bool accept_any(std::string_view alternatives) {
    while (!alternatives.empty()) {
      const std::size_t bar = std::min(alternatives.find('|'), alternatives.size());
      if (accept(alternatives.substr(0, bar))) return true;
      alternatives.remove_prefix(std::min(bar + 1, alternatives.size()));
    }
    return false;
  }

  void expect(std::string_view symbol) {
    if (!accept(symbol)) misplaced("\"" + std::string(symbol) + "\"");
  }

  [[noreturn]] void misplaced(const std::string& expected) const {
    if (at_ == words_.size()) {
      throw ExpressionError("expected " + expected + " after \"" + words_[at_ - 1] + "\"");
    }
    const std::string& word = words_[at_];
    if (!known(word)) throw ExpressionError("I do not understand \"" + word + "\"");
    throw ExpressionError("expected " + expected + " before \"" + word + "\"");
  }

  Words words_;
  std::size_t at_ = 0;
  std::size_t depth_ = 0;
  bool percentage_ = false;  // whether the last operand ended as a bare percentage
};

}  // namespace

std::string expression_from_words(std::string_view text) {
  return Translation(text).expression();
}

bool asks_to_calculate(std::string_view text) {
  return request_in(spoken_tokens(text)).asks;
}

}  // namespace requip::calculator

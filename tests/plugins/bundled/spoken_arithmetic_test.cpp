#include <catch2/catch.hpp>

#include <string>

#include "bundled_plugin.hpp"
#include "expression.hpp"
#include "spoken_arithmetic.hpp"

using requip::Brain;
using requip::calculator::asks_to_calculate;
using requip::calculator::evaluate;
using requip::calculator::expression_from_words;
using requip::calculator::ExpressionError;
using requip::test::answer;
using requip::test::bundled_skill;

namespace {

double value(const std::string& text) {
  return evaluate(expression_from_words(text));
}

}  // namespace

TEST_CASE("spoken arithmetic: the four operations, in words or symbols, on digits or words",
          "[plugins][calculator]") {
  CHECK(value("12 plus 30") == 42);
  CHECK(value("twelve plus thirty") == 42);
  CHECK(value("100 minus 1") == 99);
  CHECK(value("ten less three") == 7);
  CHECK(value("7 times 6") == 42);
  CHECK(value("7 x 6") == 42);
  CHECK(value("7x6") == 42);
  CHECK(value("6 multiplied by 7") == 42);
  CHECK(value("100 divided by 8") == 12.5);
  CHECK(value("twelve over four") == 3);
  CHECK(value("10 mod 3") == 1);
  CHECK(value("10 modulo 4") == 2);
  CHECK(value("6 \xC3\x97 7 \xC3\xB7 2") == 21);  // × and ÷
  CHECK(value("2 plus 3 times 4") == 14);         // the parser's precedence holds
}

TEST_CASE("spoken arithmetic: numbers in digits or words, with groups, decimals and scales",
          "[plugins][calculator]") {
  CHECK(value("1,000 plus 1") == 1001);
  CHECK(value("2.5 times 4") == 10);
  CHECK(value(".5 plus .5") == 1);
  CHECK(value("1e3 plus 1") == 1001);
  CHECK(value("forty-two minus two") == 40);
  CHECK(value("twenty one times two") == 42);
  CHECK(value("one hundred and five plus 5") == 110);
  CHECK(value("a hundred plus one") == 101);
  CHECK(value("three point five times 2") == 7);
  CHECK(value("one million divided by a thousand") == 1000);
  CHECK(value("2.5 million plus 1") == 2500001);
  CHECK(value("two and a half times 4") == 10);
}

TEST_CASE("spoken arithmetic: powers, squared and cubed", "[plugins][calculator]") {
  CHECK(value("2 to the power of 10") == 1024);
  CHECK(value("2 to the power 10") == 1024);
  CHECK(value("2 raised to the power of 3") == 8);
  CHECK(value("2 raised to 3") == 8);
  CHECK(value("2 to the 10th power") == 1024);
  CHECK(value("two to the third") == 8);
  CHECK(value("3 squared") == 9);
  CHECK(value("5 cubed minus 1") == 124);
  CHECK(value("2 squared plus 3 cubed") == 31);
  CHECK(value("3 squared cubed") == 729);  // (3^2)^3: each applies to what is before it
  CHECK(value("2**10") == 1024);
}

TEST_CASE("spoken arithmetic: roots and functions wrap the operand after them, only it",
          "[plugins][calculator]") {
  CHECK(value("square root of 144") == 12);
  CHECK(value("square root of 144 plus 1") == 13);
  CHECK(value("the square root of the square root of 16") == 2);
  CHECK(value("cube root of 27") == Approx(3));
  CHECK(value("2 times the square root of 9") == 6);
  CHECK(value("square of 5") == 25);
  CHECK(value("absolute value of negative 5") == 5);
  CHECK(value("log of 1000") == Approx(3));
  CHECK(value("natural log of e") == Approx(1));
  CHECK(value("sine of 0") == 0);
  CHECK(value("sqrt 16") == 4);
  CHECK(value("double 12") == 24);
}

TEST_CASE("spoken arithmetic: N percent of M and N% of M, while % alone stays modulo",
          "[plugins][calculator]") {
  CHECK(value("15 percent of 80") == Approx(12));
  CHECK(value("15% of 80") == Approx(12));
  CHECK(value("fifteen per cent of eighty") == Approx(12));
  CHECK(value("7.5% of 200") == Approx(15));
  CHECK(value("100 minus 20 percent of 100") == Approx(80));
  CHECK(value("10 percent") == Approx(0.1));
  CHECK(value("10% times 50") == Approx(5));
  CHECK(value("20% off 80") == Approx(64));
  CHECK(value("10 % 3") == 1);
}

TEST_CASE("spoken arithmetic: a percentage added to an amount or taken from it is of that amount",
          "[plugins][calculator]") {
  CHECK(value("50 plus 10 percent") == Approx(55));
  CHECK(value("100 minus 35%") == Approx(65));
  CHECK(value("10 plus 10 percent of 50") == Approx(15));  // of 50, not of 10
}

TEST_CASE("spoken arithmetic: negative is the sign of its number, minus between two subtracts",
          "[plugins][calculator]") {
  CHECK(value("negative 4 plus 10") == 6);
  CHECK(value("negative 2 squared") == 4);  // (-2)^2: the number is negative two
  CHECK(value("5 minus minus 3") == 8);
  CHECK(value("minus 4 plus 10") == 6);
  CHECK(value("2 to the power of negative 1") == 0.5);
}

TEST_CASE("spoken arithmetic: operations named before their operands", "[plugins][calculator]") {
  CHECK(value("the sum of 2, 3 and 4") == 9);
  CHECK(value("the product of six and seven") == 42);
  CHECK(value("the difference between 10 and 4") == 6);
  CHECK(value("the quotient of 10 and 4") == 2.5);
  CHECK(value("the average of 2, 4 and 9") == 5);
  CHECK(value("add 5 to 3") == 8);
  CHECK(value("subtract 3 from 10") == 7);
  CHECK(value("multiply 6 by 7") == 42);
  CHECK(value("divide 100 by 8") == 12.5);
  CHECK(value("the remainder when 17 is divided by 5") == 2);
  CHECK(value("the sum of 2 and 3 squared") == 11);  // 2 + 3^2: each operand is one operand
}

TEST_CASE("spoken arithmetic: fractions of a number", "[plugins][calculator]") {
  CHECK(value("half of 10") == 5);
  CHECK(value("two thirds of 90") == Approx(60));
  CHECK(value("a quarter of 100") == 25);
  CHECK(value("three quarters of 200") == 150);
  CHECK(value("one half plus one half") == 1);
}

TEST_CASE("spoken arithmetic: the words around a question are dropped", "[plugins][calculator]") {
  CHECK(value("what is 12 plus 30") == 42);
  CHECK(value("what's 2 to the power of 10") == 1024);
  CHECK(value("what\xE2\x80\x99s 3 plus 4") == 7);  // a typographic apostrophe
  CHECK(value("whats 3 plus 4") == 7);
  CHECK(value("how much is 100 divided by 8") == 12.5);
  CHECK(value("What is twelve plus thirty?") == 42);
  CHECK(value("calculate 3 squared") == 9);
  CHECK(value("compute the square root of 81") == 9);
  CHECK(value("can you calculate 6 times 7 please") == 42);
  CHECK(value("please tell me what 9 times 9 is") == 81);
  CHECK(value("what does 2 plus 2 equal") == 4);
  CHECK(value("what would 5 times 5 be") == 25);
  CHECK(value("how much does 2 plus 2 make") == 4);
  CHECK(value("2 + 2 =") == 4);
  CHECK(value("2 plus 2 equals") == 4);
}

TEST_CASE("spoken arithmetic: symbols and functions mean what they mean to the parser",
          "[plugins][calculator]") {
  CHECK(value("-2^2") == -4);
  CHECK(value("sqrt(16) + 2^3") == 12);
  CHECK(value("(2 + 3) * 4") == 20);
  CHECK(value("what is (2 plus 3) times 4") == 20);
  CHECK(value("pow(2, 10)") == 1024);
  CHECK(value("max(3, min(9, 4))") == 4);
  CHECK(value("log2(8)") == 3);
  CHECK(value("compute sin(pi / 2)") == Approx(1));
  CHECK(expression_from_words("2 plus 2") == "2 + 2");
}

TEST_CASE("spoken arithmetic: a word not understood is named, a missing part is located",
          "[plugins][calculator]") {
  CHECK_THROWS_WITH(expression_from_words("what is 2 plus bananas"),
                    "I do not understand \"bananas\"");
  CHECK_THROWS_WITH(expression_from_words("what is the time"), "I do not understand \"time\"");
  CHECK_THROWS_WITH(expression_from_words("5 factorial"), "I do not understand \"factorial\"");
  CHECK_THROWS_WITH(expression_from_words("5!"), "I do not understand \"!\"");
  CHECK_THROWS_WITH(expression_from_words("2 plus"), "expected a number after \"plus\"");
  CHECK_THROWS_WITH(expression_from_words("times 3"), "expected a number before \"times\"");
  CHECK_THROWS_WITH(expression_from_words("2 three"), "expected an operator before \"three\"");
  CHECK_THROWS_WITH(expression_from_words("(2 plus 3"), "expected \")\" after \"3\"");
  CHECK_THROWS_WITH(expression_from_words("the sum of 2"), "expected \"and\" after \"2\"");
  CHECK_THROWS_WITH(expression_from_words("what is"), "there is nothing to calculate");
  CHECK_THROWS_AS(expression_from_words("set a timer for 5 minutes"), ExpressionError);
}

TEST_CASE("spoken arithmetic: wrong symbols get the parser's message, pointing into them",
          "[plugins][calculator]") {
  CHECK_THROWS_WITH(value("calculate 2 +"), "expected a number at position 3");
  CHECK_THROWS_WITH(value("what is (1 + 2"), "expected ')' at position 6");
  CHECK_THROWS_WITH(value("2 3"), "unexpected '3' at position 2");
  CHECK_THROWS_WITH(value("1,000 +"), "expected a number at position 6");  // as 1000 +
}

TEST_CASE("spoken arithmetic: nesting is bounded, so no input can overflow the stack",
          "[plugins][calculator]") {
  const auto repeated = [](std::string_view part, std::size_t times) {
    std::string text;
    for (std::size_t i = 0; i < times; ++i)
      text += part;
    return text;
  };
  CHECK(value(repeated("(", 150) + "1" + repeated(")", 150)) == 1);
  for (std::string_view part : {"(", "square root of ", "1 percent of ", "negative ", "+ "}) {
    CHECK_THROWS_WITH(value(repeated(part, 100000) + "1"), Catch::Contains("nests deeper"));
  }
}

TEST_CASE("spoken arithmetic: only a request to calculate asks for one", "[plugins][calculator]") {
  CHECK(asks_to_calculate("calculate 2 plus 2"));
  CHECK(asks_to_calculate("please compute the square root of 2"));
  CHECK(asks_to_calculate("can you work out 3 times 4"));
  CHECK_FALSE(asks_to_calculate("what is 2 plus 2"));
  CHECK_FALSE(asks_to_calculate("2 plus 2"));
  CHECK_FALSE(asks_to_calculate("what is the time"));
}

TEST_CASE("calculator plugin: answers arithmetic asked in words", "[plugins][calculator]") {
  Brain brain;
  brain.add(bundled_skill("calculator", brain));
  const auto says = [&brain](const std::string& text) { return answer(brain, text); };
  using Lines = std::vector<std::string>;
  CHECK(says("What is 12 plus 30?") == Lines{"42"});
  CHECK(says("square root of 144") == Lines{"12"});
  CHECK(says("what is 15 percent of 80") == Lines{"12"});
  CHECK(says("how much is 100 divided by 8") == Lines{"12.5"});
  CHECK(says("negative 4 plus 10") == Lines{"6"});
  CHECK(says("calculate 2 + 3 * 4") == Lines{"14"});
  CHECK(says("calculate 7") == Lines{"7"});  // asked for, so answered
}

TEST_CASE("calculator plugin: explains only to an explicit request what it cannot calculate",
          "[plugins][calculator]") {
  Brain brain;
  brain.add(bundled_skill("calculator", brain));
  CHECK(answer(brain, "calculate 2 plus bananas") ==
        std::vector<std::string>{"I cannot calculate that: I do not understand \"bananas\"."});
  CHECK_THAT(answer(brain, "compute 1 / 0")[0],
             Catch::StartsWith("I cannot calculate that: division by zero"));
  // Anything else that is not arithmetic with an operation is left to other skills.
  CHECK(answer(brain, "what is 2 plus bananas").empty());
  CHECK(answer(brain, "what is 7").empty());
  CHECK(answer(brain, "what is negative 4").empty());
  CHECK(answer(brain, "what is the time").empty());
  CHECK(answer(brain, "what is 1 / 0").empty());
}

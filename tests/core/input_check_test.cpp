#include <catch2/catch.hpp>

#include "requip/core/input_check.hpp"

using requip::check_input;

TEST_CASE("input check: ordinary and multilingual UTF-8 text is accepted", "[core][input]") {
  CHECK_FALSE(check_input("hello", 100));
  CHECK_FALSE(check_input("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 100));
}

TEST_CASE("input check: empty and oversized input say what is wrong", "[core][input]") {
  CHECK_THAT(*check_input("", 10), Catch::Contains("empty"));
  CHECK(*check_input(std::string(11, 'a'), 10) ==
        "input is too long: 11 bytes, the limit is 10; send a shorter message");
}

TEST_CASE("input check: malformed UTF-8 is refused with the offending byte", "[core][input]") {
  CHECK(*check_input("ab\xff", 10) ==
        "input is not valid UTF-8 (byte 0xff at offset 2); send UTF-8 text");
  CHECK(check_input("\xc3", 10));              // truncated sequence
  CHECK(check_input("\xc0\xaf", 10));          // overlong encoding
  CHECK(check_input("\xed\xa0\x80", 10));      // UTF-16 surrogate
  CHECK(check_input("\xf4\x90\x80\x80", 10));  // past U+10FFFF
  CHECK_THAT(*check_input("ok\xe2\x82", 10), Catch::Contains("offset 2"));
}

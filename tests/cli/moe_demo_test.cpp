#include <catch2/catch.hpp>

#include "subprocess.hpp"

using requip::test::run_requip;

TEST_CASE("moe demo quick shows one token's logits, its top-2 and the weighted sum", "[cli][moe]") {
  auto result = run_requip({"moe", "demo", "quick", "--threads", "1"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("logit") && Catch::Contains("weight"));
  // Eight expert rows, two of them picked.
  std::size_t picked = 0;
  for (std::size_t at = result.out.find(" yes "); at != std::string::npos;
       at = result.out.find(" yes ", at + 1))
    ++picked;
  CHECK(picked == 2);
  CHECK_THAT(result.out, Catch::Contains("y = "));
}

TEST_CASE("moe demo activation lists the experts of every character", "[cli][moe]") {
  auto result = run_requip({"moe", "demo", "activation", "--text", "abca", "--threads", "1"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("max/mean load"));
  // Equal characters take equal experts: the rows for 'a' at 0 and 3 match after the position.
  const auto row = [&](const std::string& prefix) {
    const auto start = result.out.find(prefix);
    REQUIRE(start != std::string::npos);
    return result.out.substr(start + prefix.size(),
                             result.out.find('\n', start) - start - prefix.size());
  };
  CHECK(row("   0     a") == row("   3     a"));
}

TEST_CASE("moe demo with an unknown name fails and lists the demos", "[cli][moe]") {
  auto result = run_requip({"moe", "demo", "nonsense"});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("quick") && Catch::Contains("scaling"));
}

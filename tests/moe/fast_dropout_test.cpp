#include <vector>

#include "requip/moe/fast_dropout.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip::moe;

namespace {

std::vector<float> factors(const DropoutDraw& draw, std::uint64_t first, std::int64_t count) {
  std::vector<float> out(static_cast<std::size_t>(count));
  draw.fill(out.data(), first, count);
  return out;
}

}  // namespace

TEST_CASE("fast dropout: any piece of a draw holds the same factors as the whole draw",
          "[moe][dropout]") {
  FastDropout dropout(0.1, 42);
  const DropoutDraw draw = dropout.draw(1000);
  const std::vector<float> whole = factors(draw, 0, 1000);
  // Pieces that start and end inside a hash's group of lanes, and one within a single group.
  for (auto [first, count] : {std::pair<std::uint64_t, std::int64_t>{1, 2},
                              {3, 9},
                              {5, 994},
                              {500, 1},
                              {0, 7},
                              {997, 3}}) {
    const std::vector<float> piece = factors(draw, first, count);
    for (std::int64_t i = 0; i < count; ++i)
      CHECK(piece[i] == whole[first + i]);
  }
  for (std::uint64_t i = 0; i < 1000; ++i)
    CHECK(draw.factor(i) == whole[i]);
}

TEST_CASE("fast dropout: about p of the elements drop and the rest are scaled by 1/(1-p)",
          "[moe][dropout]") {
  FastDropout dropout(0.25, 7);
  const std::int64_t count = 400000;
  const std::vector<float> drawn = factors(dropout.draw(count), 0, count);
  std::int64_t dropped = 0, kept_scaled = 0;
  for (float f : drawn) {
    dropped += f == 0.0f;
    kept_scaled += f == static_cast<float>(1.0 / 0.75);
  }
  CHECK(dropped + kept_scaled == count);
  CHECK(static_cast<double>(dropped) / count == Approx(0.25).margin(0.005));
}

TEST_CASE("fast dropout: a seed fixes the masks and each draw moves on to new ones",
          "[moe][dropout]") {
  FastDropout first(0.5, 3), again(0.5, 3);
  const std::vector<float> a = factors(first.draw(256), 0, 256);
  CHECK(factors(again.draw(256), 0, 256) == a);
  CHECK(factors(first.draw(256), 0, 256) != a);
}

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "expert_selection.hpp"

using requip::moe::detail::select_experts;

namespace {

std::vector<std::int64_t> chosen_of(const std::vector<float>& scores, std::int64_t top_k,
                                    const std::vector<float>* bias = nullptr,
                                    std::vector<char> selectable = {}) {
  const auto experts = static_cast<std::int64_t>(scores.size());
  if (selectable.empty()) selectable.assign(scores.size(), 1);
  auto flags = std::make_unique<bool[]>(scores.size());
  for (std::size_t e = 0; e < scores.size(); ++e)
    flags[e] = selectable[e] != 0;
  std::vector<std::int64_t> chosen(static_cast<std::size_t>(top_k), -1);
  select_experts(scores.data(), bias != nullptr ? bias->data() : nullptr, flags.get(), experts,
                 top_k, chosen.data());
  return chosen;
}

}  // namespace

TEST_CASE("expert selection: the k highest scores, best first", "[moe][selection]") {
  CHECK(chosen_of({0.1f, 0.7f, 0.05f, 0.15f}, 2) == std::vector<std::int64_t>{1, 3});
  CHECK(chosen_of({0.4f, 0.1f, 0.2f, 0.3f}, 3) == std::vector<std::int64_t>{0, 3, 2});
}

TEST_CASE("expert selection: equal scores go to the lower index", "[moe][selection]") {
  CHECK(chosen_of({0.25f, 0.25f, 0.25f, 0.25f}, 2) == std::vector<std::int64_t>{0, 1});
  CHECK(chosen_of({0.1f, 0.3f, 0.3f, 0.3f}, 2) == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("expert selection: a NaN score ranks below every number", "[moe][selection]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float lowest = -std::numeric_limits<float>::infinity();
  CHECK(chosen_of({nan, 0.2f, nan, 0.1f}, 2) == std::vector<std::int64_t>{1, 3});
  CHECK(chosen_of({nan, lowest, 0.5f}, 2) == std::vector<std::int64_t>{2, 0});
}

TEST_CASE("expert selection: an expert that is not selectable is never chosen",
          "[moe][selection]") {
  CHECK(chosen_of({0.9f, 0.05f, 0.04f, 0.01f}, 2, nullptr, {0, 1, 1, 1}) ==
        std::vector<std::int64_t>{1, 2});
}

TEST_CASE("expert selection: the selection bias steers the choice", "[moe][selection]") {
  const std::vector<float> bias{-1.0f, 0.0f, 0.0f, 0.5f};
  CHECK(chosen_of({0.6f, 0.2f, 0.1f, 0.1f}, 2, &bias) == std::vector<std::int64_t>{3, 1});
}

#include "expert_selection.hpp"

#include <cmath>
#include <limits>

namespace requip::moe::detail {

void select_experts(const float* scores, const float* selection_bias, const bool* selectable,
                    std::int64_t experts, std::int64_t top_k, std::int64_t* chosen) {
  const auto key = [&](std::int64_t e) {
    const float value = selection_bias != nullptr ? scores[e] + selection_bias[e] : scores[e];
    return std::isnan(value) ? -std::numeric_limits<float>::infinity() : value;
  };
  // An insertion into the k best so far: k and E are small (2 of 8 in the seed), and a sort
  // would need a strict order, which NaN breaks.
  std::int64_t filled = 0;
  for (std::int64_t e = 0; e < experts; ++e) {
    if (!selectable[e]) continue;
    const float value = key(e);
    std::int64_t at = filled;
    if (filled < top_k) ++filled;
    while (at > 0 && key(chosen[at - 1]) < value) {
      if (at < top_k) chosen[at] = chosen[at - 1];
      --at;
    }
    if (at < top_k) chosen[at] = e;
  }
}

}  // namespace requip::moe::detail

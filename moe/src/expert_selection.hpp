#pragma once

#include <cstdint>

namespace requip::moe::detail {

// The one definition of which experts a token goes to, shared by the gate (a batch, in
// TopKGate::forward) and the token decoder (one position): the `top_k` highest of score +
// selection_bias, best first, ties to the lower index, never an expert that is not selectable.
// The bias steers the choice only; the caller weighs the chosen experts by their scores.
// `selection_bias` may be null. A NaN score ranks below every number. At least top_k experts
// must be selectable.
void select_experts(const float* scores, const float* selection_bias, const bool* selectable,
                    std::int64_t experts, std::int64_t top_k, std::int64_t* chosen);

}  // namespace requip::moe::detail

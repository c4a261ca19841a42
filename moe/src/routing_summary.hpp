#pragma once

#include <torch/types.h>

#include "requip/moe/routing_stats.hpp"

namespace requip::moe::detail {

// Statistics of one pass from its tensors, read to the host in one go. counts (E): slots
// routed per expert; dropped (): slots or tokens left unprocessed, out of `total`;
// probs (N, E): the router's probabilities.
RoutingStats summarize_routing(const torch::Tensor& counts, const torch::Tensor& dropped,
                               int64_t total, const torch::Tensor& probs);

}  // namespace requip::moe::detail

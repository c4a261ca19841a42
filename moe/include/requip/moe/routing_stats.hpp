#pragma once

#include <cstdint>
#include <vector>

namespace requip::moe {

// What one forward pass did with its tokens; cheap enough to collect on every pass.
struct RoutingStats {
  std::vector<double> load;     // share of routed slots per expert, sums to 1
  double max_over_mean = 0;     // max load / mean load: 1 is perfect balance, E is collapse
  int64_t dead_experts = 0;     // experts that received no slot
  double dropped_fraction = 0;  // slots (token choice) or tokens (expert choice) left unprocessed
  double entropy = 0;           // mean per-token entropy of the router probabilities, in nats
};

}  // namespace requip::moe

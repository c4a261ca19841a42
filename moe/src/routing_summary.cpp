#include "routing_summary.hpp"

#include <algorithm>

namespace requip::moe::detail {

RoutingStats summarize_routing(const torch::Tensor& counts, const torch::Tensor& dropped,
                               int64_t total, const torch::Tensor& probs) {
  torch::NoGradGuard no_grad;
  // xlogy keeps 0 log 0 = 0 for masked experts.
  const auto entropy = at::xlogy(probs, probs).sum(-1).mean().neg();
  const auto packed = torch::cat({counts.to(torch::kDouble), dropped.to(torch::kDouble).reshape(1),
                                  entropy.to(torch::kDouble).reshape(1)})
                          .to(torch::kCPU)
                          .contiguous();
  const double* values = packed.data_ptr<double>();
  const auto experts = static_cast<std::size_t>(counts.numel());

  RoutingStats stats;
  double routed = 0;
  for (std::size_t e = 0; e < experts; ++e)
    routed += values[e];
  stats.load.resize(experts);
  for (std::size_t e = 0; e < experts; ++e) {
    stats.load[e] = routed > 0 ? values[e] / routed : 0;
    if (values[e] == 0) ++stats.dead_experts;
  }
  const double max_load = experts > 0 ? *std::max_element(stats.load.begin(), stats.load.end()) : 0;
  stats.max_over_mean = max_load * static_cast<double>(experts);
  stats.dropped_fraction = total > 0 ? values[experts] / static_cast<double>(total) : 0;
  stats.entropy = values[experts + 1];
  return stats;
}

}  // namespace requip::moe::detail

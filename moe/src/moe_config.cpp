#include "requip/moe/moe_config.hpp"

namespace requip::moe {

ParameterCount count_parameters(const MoeConfig& config) {
  const int64_t d = config.d_model, h = config.d_hidden, e = config.experts;
  const int64_t gate = (config.noisy_gate ? 2 : 1) * (e * d + e);
  const auto ffn = [d](int64_t hidden) { return 2 * d * hidden + hidden + d; };
  const int64_t shared = config.shared_experts > 0 ? ffn(config.shared_experts * h) : 0;
  return {gate + e * ffn(h) + shared, gate + config.top_k * ffn(h) + shared};
}

}  // namespace requip::moe

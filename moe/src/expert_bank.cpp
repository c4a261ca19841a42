#include "requip/moe/expert_bank.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "grouped_experts.hpp"
#include "init.hpp"

namespace requip::moe {

ExpertBankImpl::ExpertBankImpl(const MoeConfig& config) {
  const int64_t e = config.experts, d = config.d_model, h = config.d_hidden;
  if (e < 1 || d < 1 || h < 1)
    throw std::invalid_argument(fmt::format(
        "experts: experts {}, d_model {} and d_hidden {} must all be at least 1", e, d, h));
  w1 = register_parameter("w1", detail::uniform_fan_in({e, d, h}, d));
  b1 = register_parameter("b1", detail::uniform_fan_in({e, h}, d));
  w2 = register_parameter("w2", detail::uniform_fan_in({e, h, d}, h));
  b2 = register_parameter("b2", detail::uniform_fan_in({e, d}, h));
}

torch::Tensor ExpertBankImpl::expert(int64_t e, const torch::Tensor& x) {
  if (e < 0 || e >= w1.size(0))
    throw std::invalid_argument(fmt::format("experts: no expert {} among {}", e, w1.size(0)));
  return detail::feed_forward(x, w1[e], b1[e], w2[e], b2[e]);
}

torch::Tensor ExpertBankImpl::grouped(const torch::Tensor& x, const torch::Tensor& indices,
                                      const torch::Tensor& weights, int64_t capacity) {
  return detail::grouped_experts(x, indices, weights, w1, b1, w2, b2, capacity);
}

torch::Tensor ExpertBankImpl::gathered(const torch::Tensor& x, const torch::Tensor& indices,
                                       const torch::Tensor& weights) {
  const int64_t n = x.size(0), d = x.size(1), top_k = indices.size(1);
  const auto slots = indices.reshape(-1);                                           // (S)
  const auto xs = x.unsqueeze(1).expand({n, top_k, d}).reshape({n * top_k, 1, d});  // (S, 1, d)
  const auto hidden =
      at::baddbmm(b1.index_select(0, slots).unsqueeze(1), xs, w1.index_select(0, slots))
          .relu_();  // (S, 1, h)
  const auto out =
      at::baddbmm(b2.index_select(0, slots).unsqueeze(1), hidden, w2.index_select(0, slots));
  return (out.view({n, top_k, d}) * weights.unsqueeze(-1)).sum(1);  // (N, d)
}

}  // namespace requip::moe

#include "requip/moe/expert_bank.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

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

torch::Tensor ExpertBankImpl::grouped(const torch::Tensor& x, const torch::Tensor& indices,
                                      const torch::Tensor& weights,
                                      const torch::Tensor& expert_counts, int64_t capacity) {
  const int64_t top_k = indices.size(1);
  // Stable, so that within an expert's segment the slots keep token order: under capacity the
  // earliest tokens are served, as in the naive loop.
  const auto order = std::get<1>(indices.reshape(-1).sort(/*stable=*/true, 0, false));  // (S)

  // The one host read of the pass: segment lengths decide the GEMM shapes.
  const auto counts = expert_counts.to(torch::kCPU, torch::kLong).contiguous();
  const int64_t* count = counts.data_ptr<int64_t>();
  std::vector<int64_t> served(static_cast<std::size_t>(counts.numel()));
  std::vector<torch::Tensor> kept_pieces;
  bool dropping = false;
  for (int64_t e = 0, start = 0; e < counts.numel(); start += count[e], ++e) {
    served[e] = capacity > 0 ? std::min(count[e], capacity) : count[e];
    dropping = dropping || served[e] < count[e];
    if (served[e] > 0) kept_pieces.push_back(order.narrow(0, start, served[e]));
  }
  if (kept_pieces.empty()) return torch::zeros_like(x);
  const auto kept = dropping ? torch::cat(kept_pieces) : order;  // (S_kept) slot ids
  const auto tokens = kept.div(top_k, "floor");
  const auto x_sorted = x.index_select(0, tokens);  // (S_kept, d)

  // unbind, not w1[e]: its backward stacks the E gradients once instead of adding E
  // full-size zero tensors.
  const auto w1s = w1.unbind(0), b1s = b1.unbind(0), w2s = w2.unbind(0), b2s = b2.unbind(0);
  std::vector<torch::Tensor> outputs;
  for (int64_t e = 0, start = 0; e < counts.numel(); start += served[e], ++e) {
    if (served[e] == 0) continue;
    outputs.push_back(
        detail::feed_forward(x_sorted.narrow(0, start, served[e]), w1s[e], b1s[e], w2s[e], b2s[e]));
  }
  const auto slot_weights = weights.reshape(-1).index_select(0, kept).unsqueeze(1);  // (S_kept, 1)
  return torch::zeros_like(x).index_add_(0, tokens, torch::cat(outputs) * slot_weights);
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

#include "requip/moe/expert_bank.hpp"

#include "init.hpp"

namespace requip::moe {

// The seed's SparseMoE loop, kept deliberately plain: it is the reference the grouped path is
// tested against and the baseline it is measured against.
torch::Tensor ExpertBankImpl::naive(const torch::Tensor& x, const torch::Tensor& indices,
                                    const torch::Tensor& weights, int64_t capacity) {
  auto y = torch::zeros_like(x);
  const auto w1s = w1.unbind(0), b1s = b1.unbind(0), w2s = w2.unbind(0), b2s = b2.unbind(0);
  for (int64_t e = 0; e < w1.size(0); ++e) {
    const auto hit = indices.eq(e);  // (N, k)
    auto routed = hit.any(-1);       // (N) tokens routed to expert e
    if (capacity > 0) routed = routed.logical_and(routed.cumsum(0).le(capacity));
    const auto tokens = routed.nonzero().squeeze(1);
    if (tokens.numel() == 0) continue;
    const auto gate = (weights * hit).sum(-1).index_select(0, tokens).unsqueeze(1);
    const auto out =
        detail::feed_forward(x.index_select(0, tokens), w1s[e], b1s[e], w2s[e], b2s[e]);
    y.index_add_(0, tokens, gate * out);
  }
  return y;
}

}  // namespace requip::moe

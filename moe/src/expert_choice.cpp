#include "requip/moe/expert_bank.hpp"

namespace requip::moe {

// Zhou et al. 2022: each expert picks its top `capacity` tokens by router probability, so every
// expert is equally loaded by construction and the whole layer is one batched matmul; a token
// may get several experts or none.
ExpertChoiceOutput ExpertBankImpl::expert_choice(const torch::Tensor& x, const torch::Tensor& probs,
                                                 int64_t capacity) {
  const int64_t n = x.size(0), d = x.size(1), experts = w1.size(0);
  auto [scores, tokens] = probs.t().topk(capacity, -1);  // (E, C) each
  const auto flat_tokens = tokens.reshape(-1);           // (E * C)
  const auto xs = x.index_select(0, flat_tokens).view({experts, capacity, d});
  const auto hidden = at::baddbmm(b1.unsqueeze(1), xs, w1).relu_();  // (E, C, h)
  const auto out = at::baddbmm(b2.unsqueeze(1), hidden, w2);         // (E, C, d)
  ExpertChoiceOutput result;
  result.y = torch::zeros_like(x).index_add_(
      0, flat_tokens, out.view({experts * capacity, d}) * scores.reshape({-1, 1}));
  result.unserved_tokens = at::bincount(flat_tokens, {}, n).eq(0).sum();
  return result;
}

}  // namespace requip::moe

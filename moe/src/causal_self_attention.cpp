#include "requip/moe/causal_self_attention.hpp"

#include "fused_attention.hpp"

namespace requip::moe {

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const LmConfig& config)
    : n_head_(config.n_head),
      attention_drop_(config.dropout, draw_dropout_seed()),
      output_drop_(config.dropout, draw_dropout_seed()) {
  const std::int64_t c = config.n_embed();
  qkv_ = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(c, 3 * c).bias(false)));
  proj_ = register_module("proj", torch::nn::Linear(c, c));
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, KvCache::Layer* cache,
                                               std::int64_t past) {
  const std::int64_t batch = x.size(0), time = x.size(1), width = x.size(2);
  const torch::Tensor qkv = qkv_->forward(x);  // (B, T, 3C)
  torch::Tensor y;
  if (cache != nullptr) {
    // (B, T, 3, nh, hs) -> keys and values (B, nh, T, hs), stored after the cached ones.
    const auto heads = qkv.view({batch, time, 3, n_head_, width / n_head_});
    cache->keys.slice(2, past, past + time).copy_(heads.select(2, 1).transpose(1, 2));
    cache->values.slice(2, past, past + time).copy_(heads.select(2, 2).transpose(1, 2));
    y = detail::cached_causal_attention(qkv, *cache, n_head_, past);
  } else {
    y = detail::fused_causal_attention(qkv, n_head_, attention_drop_, is_training());
  }
  return output_drop_(proj_->forward(y), is_training());
}

}  // namespace requip::moe

#include "requip/moe/causal_self_attention.hpp"

#include <cmath>
#include <limits>

namespace requip::moe {

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const LmConfig& config)
    : n_head_(config.n_head),
      future_(torch::ones({config.block_size, config.block_size}, torch::kBool).triu(1)),
      attention_drop_(config.dropout, draw_dropout_seed()),
      output_drop_(config.dropout, draw_dropout_seed()) {
  const std::int64_t c = config.n_embed;
  qkv_ = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(c, 3 * c).bias(false)));
  proj_ = register_module("proj", torch::nn::Linear(c, c));
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, KvCache::Layer* cache,
                                               std::int64_t past) {
  const std::int64_t batch = x.size(0), time = x.size(1), width = x.size(2);
  const std::int64_t head_size = width / n_head_;
  // (B, T, 3C) -> (3, B, nh, T, hs)
  const torch::Tensor qkv =
      qkv_->forward(x).view({batch, time, 3, n_head_, head_size}).permute({2, 0, 3, 1, 4});
  const torch::Tensor q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(head_size)));
  torch::Tensor k = qkv[1], v = qkv[2];  // (B, nh, T, hs)
  if (cache != nullptr) {
    cache->keys.slice(2, past, past + time).copy_(k);
    cache->values.slice(2, past, past + time).copy_(v);
    k = cache->keys.slice(2, 0, past + time);  // (B, nh, past + T, hs)
    v = cache->values.slice(2, 0, past + time);
  }
  torch::Tensor att = torch::matmul(q, k.transpose(-2, -1));  // (B, nh, T, past + T)
  if (time > 1) {
    att.masked_fill_(future_.slice(0, past, past + time).slice(1, 0, past + time),
                     -std::numeric_limits<float>::infinity());
  }
  att = attention_drop_(att.softmax(-1), is_training());
  const torch::Tensor y = torch::matmul(att, v);  // (B, nh, T, hs)
  return output_drop_(proj_->forward(y.transpose(1, 2).reshape({batch, time, width})),
                      is_training());
}

}  // namespace requip::moe

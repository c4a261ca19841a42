#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "requip/moe/fast_dropout.hpp"
#include "requip/moe/kv_cache.hpp"
#include "requip/moe/lm_config.hpp"

namespace requip::moe {

// Multi-head causal self-attention with one fused QKV projection.
class CausalSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit CausalSelfAttentionImpl(const LmConfig& config);

  // x (B, T, C) -> (B, T, C). With a cache, x holds the T positions after the cached ones; their
  // keys and values are appended to it and attention spans everything cached.
  torch::Tensor forward(const torch::Tensor& x, KvCache::Layer* cache = nullptr,
                        std::int64_t past = 0);

  const torch::nn::Linear& qkv() const { return qkv_; }  // (C) -> (3C): queries, keys, values
  const torch::nn::Linear& proj() const { return proj_; }

 private:
  std::int64_t n_head_;
  torch::nn::Linear qkv_{nullptr};
  torch::nn::Linear proj_{nullptr};
  FastDropout attention_drop_;
  FastDropout output_drop_;
};
TORCH_MODULE(CausalSelfAttention);

}  // namespace requip::moe

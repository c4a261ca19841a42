#pragma once

#include <cstdint>

#include <torch/types.h>

#include "requip/moe/fast_dropout.hpp"
#include "requip/moe/kv_cache.hpp"

namespace requip::moe::detail {

// Causal self-attention of every head, read straight from the fused projection qkv (B, T, 3C):
// queries, keys and values side by side, heads side by side within each. Returns (B, T, C).
// Differentiable with respect to qkv. Each head runs whole on one thread (its T x T scores
// stay in cache), and only the scores at or below the diagonal are computed. `dropout` applies
// to the attention probabilities when training.
torch::Tensor fused_causal_attention(const torch::Tensor& qkv, std::int64_t n_head,
                                     FastDropout& dropout, bool training);

// The T positions of qkv after the `past` cached ones, attending to the cache's first past + T
// keys and values (the new ones already stored). Inference only: no gradient, no dropout.
torch::Tensor cached_causal_attention(const torch::Tensor& qkv, const KvCache::Layer& cache,
                                      std::int64_t n_head, std::int64_t past);

}  // namespace requip::moe::detail

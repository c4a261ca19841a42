#pragma once

#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "requip/moe/causal_self_attention.hpp"
#include "requip/moe/dense_ffn.hpp"
#include "requip/moe/fast_dropout.hpp"
#include "requip/moe/kv_cache.hpp"
#include "requip/moe/lm_config.hpp"
#include "requip/moe/routing_stats.hpp"
#include "requip/moe/sparse_moe.hpp"

namespace requip::moe {

// What one block's feed-forward half adds to the training loss besides cross-entropy.
struct BlockOutput {
  torch::Tensor x;             // (B, T, C)
  torch::Tensor balance_loss;  // scalar; 1.0 at uniform routing, 0 for the dense FFN
  torch::Tensor z_loss;        // scalar; 0 for the dense FFN
  RoutingStats routing;        // empty for the dense FFN
};

// Pre-norm transformer block: x + attention(ln(x)), then x + ffn(ln(x)), the FFN being the
// sparse MoE or, with config.dense, a dense MLP of the same active width.
class BlockImpl : public torch::nn::Module {
 public:
  explicit BlockImpl(const LmConfig& config);

  BlockOutput forward(const torch::Tensor& x, KvCache::Layer* cache = nullptr,
                      std::int64_t past = 0);

  // Its parts, for code that computes what forward computes another way (the token decoder).
  const torch::nn::LayerNorm& ln_attention() const { return ln_attention_; }
  const torch::nn::LayerNorm& ln_ffn() const { return ln_ffn_; }
  const CausalSelfAttention& attention() const { return attention_; }
  const SparseMoe& moe() const { return moe_; }     // null with config.dense
  const DenseFfn& dense() const { return dense_; }  // null without config.dense

 private:
  torch::nn::LayerNorm ln_attention_{nullptr};
  torch::nn::LayerNorm ln_ffn_{nullptr};
  CausalSelfAttention attention_{nullptr};
  SparseMoe moe_{nullptr};
  DenseFfn dense_{nullptr};  // instead of moe_ with config.dense
  FastDropout ffn_drop_;
};
TORCH_MODULE(Block);

struct LmOutput {
  torch::Tensor logits;               // (B, T, vocab)
  torch::Tensor balance_loss;         // mean over layers
  torch::Tensor z_loss;               // mean over layers
  std::vector<RoutingStats> routing;  // [layer]; empty for the dense FFN
};

// The tinymoe decoder-only language model.
class LanguageModelImpl : public torch::nn::Module {
 public:
  explicit LanguageModelImpl(const LmConfig& config);

  // idx (B, T) int64 character ids. With a cache, idx holds the positions after the cached
  // ones (cache->length of them) and the cache grows by T.
  LmOutput forward(const torch::Tensor& idx, KvCache* cache = nullptr);

  // An empty cache for `batch` sequences of up to block_size positions.
  KvCache new_cache(std::int64_t batch) const;
  const LmConfig& config() const { return config_; }

  // Its parts, for code that computes what forward computes another way (the token decoder).
  const torch::nn::Embedding& token_embedding() const { return token_embedding_; }
  const torch::nn::Embedding& position_embedding() const { return position_embedding_; }
  const BlockImpl& block(std::int64_t layer) const {
    return *blocks_->ptr<BlockImpl>(static_cast<std::size_t>(layer));
  }
  const torch::nn::LayerNorm& ln_final() const { return ln_final_; }
  const torch::nn::Linear& head() const { return head_; }

 private:
  LmConfig config_;
  torch::nn::Embedding token_embedding_{nullptr};
  torch::nn::Embedding position_embedding_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::LayerNorm ln_final_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(LanguageModel);

}  // namespace requip::moe

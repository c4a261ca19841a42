#include "requip/moe/language_model.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace requip::moe {

BlockImpl::BlockImpl(const LmConfig& config)
    : ln_attention_(register_module(
          "ln_attention", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.n_embed()})))),
      ln_ffn_(register_module(
          "ln_ffn", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.n_embed()})))),
      attention_(register_module("attention", CausalSelfAttention(config))),
      ffn_drop_(config.dropout, draw_dropout_seed()) {
  if (config.dense) {
    dense_ = register_module("dense", dense_equivalent(config.moe));
  } else {
    moe_ = register_module("moe", SparseMoe(config.moe));
  }
}

BlockOutput BlockImpl::forward(const torch::Tensor& x, KvCache::Layer* cache, std::int64_t past) {
  const torch::Tensor h = x + attention_->forward(ln_attention_->forward(x), cache, past);
  const torch::Tensor normed = ln_ffn_->forward(h);
  if (dense_) {
    const torch::Tensor zero = torch::zeros({}, h.options());
    return {h + ffn_drop_(dense_->forward(normed), is_training()), zero, zero, {}};
  }
  MoeOutput out = moe_->forward(normed);
  return {h + ffn_drop_(out.y, is_training()), out.balance_loss, out.z_loss, std::move(out.stats)};
}

LanguageModelImpl::LanguageModelImpl(const LmConfig& config) : config_(config) {
  config_.validate();
  token_embedding_ = register_module("token_embedding",
                                     torch::nn::Embedding(config_.vocab_size, config_.n_embed()));
  position_embedding_ = register_module(
      "position_embedding", torch::nn::Embedding(config_.block_size, config_.n_embed()));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (std::int64_t layer = 0; layer < config_.n_layer; ++layer) {
    blocks_->push_back(Block(config_));
  }
  ln_final_ = register_module(
      "ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config_.n_embed()})));
  head_ = register_module("head", torch::nn::Linear(config_.n_embed(), config_.vocab_size));
}

LmOutput LanguageModelImpl::forward(const torch::Tensor& idx, KvCache* cache) {
  const std::int64_t time = idx.size(1);
  const std::int64_t past = cache != nullptr ? cache->length : 0;
  if (past + time > config_.block_size) {
    throw std::invalid_argument(fmt::format("{} positions exceed the model's block size {}",
                                            past + time, config_.block_size));
  }
  const torch::Tensor positions = torch::arange(past, past + time, torch::kInt64);
  torch::Tensor x = token_embedding_->forward(idx) + position_embedding_->forward(positions);
  torch::Tensor balance = torch::zeros({}, x.options());
  torch::Tensor z = torch::zeros({}, x.options());
  std::vector<RoutingStats> routing;
  for (std::size_t layer = 0; layer < blocks_->size(); ++layer) {
    KvCache::Layer* layer_cache = cache != nullptr ? &cache->layers[layer] : nullptr;
    BlockOutput out = blocks_->at<BlockImpl>(layer).forward(x, layer_cache, past);
    x = out.x;
    balance = balance + out.balance_loss;
    z = z + out.z_loss;
    if (!config_.dense) routing.push_back(std::move(out.routing));
  }
  if (cache != nullptr) cache->length += time;
  const auto layers = static_cast<double>(config_.n_layer);
  return {head_->forward(ln_final_->forward(x)), balance / layers, z / layers, std::move(routing)};
}

KvCache LanguageModelImpl::new_cache(std::int64_t batch) const {
  KvCache cache;
  const std::int64_t head_size = config_.n_embed() / config_.n_head;
  for (std::int64_t layer = 0; layer < config_.n_layer; ++layer) {
    cache.layers.push_back({torch::zeros({batch, config_.n_head, config_.block_size, head_size}),
                            torch::zeros({batch, config_.n_head, config_.block_size, head_size})});
  }
  return cache;
}

}  // namespace requip::moe

#include "token_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "expert_selection.hpp"

namespace requip::moe::detail {

namespace {

constexpr float layer_norm_epsilon = 1e-5f;  // torch::nn::LayerNorm's default

std::vector<float> values_of(const torch::Tensor& tensor) {
  const torch::Tensor flat = tensor.detach().to(torch::kFloat32).contiguous().view(-1);
  return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

// torch::nn::Linear keeps (out, in); the decoder wants (in, out) so that a matrix-vector product
// is a run of contiguous axpys, which vectorise without reassociating sums.
TokenDecoder::Linear linear_of(const torch::Tensor& weight, const torch::Tensor& bias) {
  return {values_of(weight.t()), bias.defined() ? values_of(bias) : std::vector<float>{},
          weight.size(1), weight.size(0)};
}

TokenDecoder::Linear linear(const torch::nn::Linear& module) {
  return linear_of(module->weight, module->bias);
}

TokenDecoder::LayerNorm layer_norm(const torch::nn::LayerNorm& module) {
  return {values_of(module->weight), values_of(module->bias)};
}

// An FFN stored as the experts and DenseFfn store theirs: w1 (d, h), b1 (h), w2 (h, d), b2 (d).
TokenDecoder::Ffn ffn(const torch::Tensor& w1, const torch::Tensor& b1, const torch::Tensor& w2,
                      const torch::Tensor& b2) {
  return {{values_of(w1), values_of(b1), w1.size(0), w1.size(1)},
          {values_of(w2), values_of(b2), w2.size(0), w2.size(1)}};
}

TokenDecoder::Ffn ffn(const DenseFfn& dense) {
  return ffn(dense->w1, dense->b1, dense->w2, dense->b2);
}

TokenDecoder::Gate gate(const TopKGateImpl& module, bool bias_balancing) {
  TokenDecoder::Gate out{
      linear_of(module.route_weight, module.route_bias), nullptr, {}, module.top_k()};
  const torch::Tensor mask = module.expert_mask.contiguous();
  out.selectable = std::make_unique<bool[]>(static_cast<std::size_t>(mask.numel()));
  std::copy_n(mask.data_ptr<bool>(), mask.numel(), out.selectable.get());
  if (bias_balancing) out.selection_bias = values_of(module.selection_bias);
  return out;
}

void softmax_in_place(float* values, std::int64_t count) {
  const float top = *std::max_element(values, values + count);
  float sum = 0;
  for (std::int64_t i = 0; i < count; ++i)
    sum += values[i] = std::exp(values[i] - top);
  for (std::int64_t i = 0; i < count; ++i)
    values[i] /= sum;
}

}  // namespace

void TokenDecoder::Linear::apply(const float* x, float* y) const {
  if (b.empty()) {
    std::fill(y, y + out, 0.0f);
  } else {
    std::copy(b.begin(), b.end(), y);
  }
  for (std::int64_t i = 0; i < in; ++i) {
    const float xi = x[i];
    const float* row = w.data() + i * out;
    for (std::int64_t o = 0; o < out; ++o)
      y[o] += xi * row[o];
  }
}

void TokenDecoder::LayerNorm::apply(const float* x, float* y) const {
  const auto width = static_cast<std::int64_t>(weight.size());
  double mean = 0, variance = 0;
  for (std::int64_t i = 0; i < width; ++i)
    mean += x[i];
  mean /= static_cast<double>(width);
  for (std::int64_t i = 0; i < width; ++i)
    variance += (x[i] - mean) * (x[i] - mean);
  variance /= static_cast<double>(width);
  const auto inverse = static_cast<float>(1.0 / std::sqrt(variance + layer_norm_epsilon));
  for (std::int64_t i = 0; i < width; ++i)
    y[i] = (x[i] - static_cast<float>(mean)) * inverse * weight[i] + bias[i];
}

void TokenDecoder::Ffn::add(const float* x, float scale, float* hidden, float* y) const {
  up.apply(x, hidden);
  for (std::int64_t i = 0; i < up.out; ++i)
    hidden[i] = std::max(hidden[i], 0.0f) * scale;
  for (std::int64_t o = 0; o < down.out; ++o)
    y[o] += scale * down.b[o];
  for (std::int64_t i = 0; i < down.in; ++i) {
    const float hi = hidden[i];
    if (hi == 0.0f) continue;  // ReLU zeroes about half of them
    const float* row = down.w.data() + i * down.out;
    for (std::int64_t o = 0; o < down.out; ++o)
      y[o] += hi * row[o];
  }
}

bool TokenDecoder::supports(const LmConfig& config) {
  return config.dense || config.moe.routing == Routing::token_choice;
}

TokenDecoder::TokenDecoder(LanguageModel& model) : model_(model), config_(model->config()) {
  if (!supports(config_))
    throw std::invalid_argument("decoder: expert-choice models decode through the full model");
  torch::NoGradGuard no_grad;
  const std::int64_t width = config_.n_embed();
  token_embedding_ = values_of(model->token_embedding()->weight);
  position_embedding_ = values_of(model->position_embedding()->weight);
  for (std::int64_t index = 0; index < config_.n_layer; ++index) {
    const BlockImpl& block = model->block(index);
    Layer layer;
    layer.ln_attention = layer_norm(block.ln_attention());
    layer.ln_ffn = layer_norm(block.ln_ffn());
    layer.qkv = linear(block.attention()->qkv());
    layer.proj = linear(block.attention()->proj());
    if (config_.dense) {
      layer.always.push_back(ffn(block.dense()));
    } else {
      const SparseMoeImpl& moe = *block.moe();
      layer.gate = gate(*moe.gate, config_.moe.bias_balancing);
      const ExpertBankImpl& experts = *moe.experts;
      for (std::int64_t e = 0; e < experts.w1.size(0); ++e)
        layer.experts.push_back(ffn(experts.w1[e], experts.b1[e], experts.w2[e], experts.b2[e]));
      if (moe.shared) layer.always.push_back(ffn(moe.shared));
    }
    layer.keys.resize(static_cast<std::size_t>(config_.block_size * width));
    layer.values.resize(layer.keys.size());
    layers_.push_back(std::move(layer));
  }
  ln_final_ = layer_norm(model->ln_final());
  head_ = linear(model->head());

  std::int64_t widest_hidden = 1;
  for (const Layer& layer : layers_) {
    for (const Ffn& f : layer.experts)
      widest_hidden = std::max(widest_hidden, f.up.out);
    for (const Ffn& f : layer.always)
      widest_hidden = std::max(widest_hidden, f.up.out);
  }
  const auto size = [](std::int64_t n) { return static_cast<std::size_t>(n); };
  x_.resize(size(width));
  normed_.resize(size(width));
  mixed_.resize(size(width));
  qkv_.resize(size(3 * width));
  scores_.resize(size(config_.block_size));
  hidden_.resize(size(widest_hidden));
  gate_logits_.resize(size(config_.moe.experts));
  probabilities_.resize(gate_logits_.size());
  chosen_.resize(size(config_.moe.top_k));
  expert_weights_.resize(size(config_.moe.top_k));
  logits_.resize(size(config_.vocab_size));
}

const std::vector<float>& TokenDecoder::step(std::int64_t id) {
  if (length_ >= config_.block_size)
    throw std::out_of_range(
        fmt::format("decoder: the context is full at {} positions; reset it", config_.block_size));
  if (id < 0 || id >= config_.vocab_size)
    throw std::out_of_range(
        fmt::format("decoder: id {} is outside the vocabulary of {}", id, config_.vocab_size));
  const std::int64_t width = config_.n_embed();
  const float* token = token_embedding_.data() + id * width;
  const float* position = position_embedding_.data() + length_ * width;
  for (std::int64_t i = 0; i < width; ++i)
    x_[i] = token[i] + position[i];

  for (Layer& layer : layers_) {
    layer.ln_attention.apply(x_.data(), normed_.data());
    attend(layer, normed_.data(), mixed_.data());
    for (std::int64_t i = 0; i < width; ++i)
      x_[i] += mixed_[i];
    layer.ln_ffn.apply(x_.data(), normed_.data());
    feed_forward(layer, normed_.data(), mixed_.data());
    for (std::int64_t i = 0; i < width; ++i)
      x_[i] += mixed_[i];
  }
  ++length_;
  ln_final_.apply(x_.data(), normed_.data());
  head_.apply(normed_.data(), logits_.data());
  return logits_;
}

const std::vector<float>& TokenDecoder::read(const std::vector<std::int64_t>& ids) {
  const auto count = std::ssize(ids);
  if (count < 1 || count > config_.block_size)
    throw std::out_of_range(
        fmt::format("decoder: a context holds 1 to {} ids, not {}", config_.block_size, count));
  reset();
  constexpr std::int64_t batched_from = 8;  // below it, positions one by one are quicker
  if (count < batched_from) {
    for (std::int64_t id : ids)
      step(id);
    return logits_;
  }
  torch::NoGradGuard no_grad;
  KvCache cache = model_->new_cache(1);
  const torch::Tensor last =
      model_->forward(torch::tensor(ids, torch::kInt64).view({1, count}), &cache).logits[0][-1];
  std::copy_n(last.contiguous().data_ptr<float>(), config_.vocab_size, logits_.begin());
  for (std::size_t index = 0; index < layers_.size(); ++index) {
    // (1, nh, block, hs) -> the first `count` positions as (count, nh * hs)
    const auto rows = [&](const torch::Tensor& cached) {
      return cached[0].slice(1, 0, count).permute({1, 0, 2}).contiguous();
    };
    const torch::Tensor keys = rows(cache.layers[index].keys);
    const torch::Tensor values = rows(cache.layers[index].values);
    std::copy_n(keys.data_ptr<float>(), keys.numel(), layers_[index].keys.begin());
    std::copy_n(values.data_ptr<float>(), values.numel(), layers_[index].values.begin());
  }
  length_ = count;
  return logits_;
}

void TokenDecoder::attend(Layer& layer, const float* normed, float* out) {
  const std::int64_t width = config_.n_embed(), heads = config_.n_head;
  const std::int64_t head_size = width / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(head_size));
  layer.qkv.apply(normed, qkv_.data());
  std::copy_n(qkv_.begin() + width, width, layer.keys.begin() + length_ * width);
  std::copy_n(qkv_.begin() + 2 * width, width, layer.values.begin() + length_ * width);

  for (std::int64_t h = 0; h < heads; ++h) {
    const float* query = qkv_.data() + h * head_size;
    for (std::int64_t t = 0; t <= length_; ++t) {
      const float* key = layer.keys.data() + t * width + h * head_size;
      float dot = 0;
      for (std::int64_t i = 0; i < head_size; ++i)
        dot += query[i] * key[i];
      scores_[t] = dot * scale;
    }
    softmax_in_place(scores_.data(), length_ + 1);
    float* context = normed_.data() + h * head_size;  // the input is read: reuse it as output
    std::fill(context, context + head_size, 0.0f);
    for (std::int64_t t = 0; t <= length_; ++t) {
      const float* value = layer.values.data() + t * width + h * head_size;
      for (std::int64_t i = 0; i < head_size; ++i)
        context[i] += scores_[t] * value[i];
    }
  }
  layer.proj.apply(normed_.data(), out);
}

void TokenDecoder::feed_forward(const Layer& layer, const float* normed, float* out) {
  std::fill(out, out + config_.n_embed(), 0.0f);
  for (const Ffn& always : layer.always)
    always.add(normed, 1.0f, hidden_.data(), out);
  if (layer.experts.empty()) return;

  // The gate in eval mode, choosing as TopKGate does; the kept scores are softmaxed (at k = 1,
  // the full softmax's probability).
  const Gate& gate = layer.gate;
  const auto experts = static_cast<std::int64_t>(layer.experts.size());
  gate.route.apply(normed, gate_logits_.data());
  select_experts(gate_logits_.data(),
                 gate.selection_bias.empty() ? nullptr : gate.selection_bias.data(),
                 gate.selectable.get(), experts, gate.top_k, chosen_.data());
  std::vector<float>& weights = expert_weights_;
  if (gate.top_k == 1) {
    std::vector<float>& probabilities = probabilities_;
    probabilities = gate_logits_;
    for (std::int64_t e = 0; e < experts; ++e)
      if (!gate.selectable[e]) probabilities[e] = -std::numeric_limits<float>::infinity();
    softmax_in_place(probabilities.data(), experts);
    weights[0] = probabilities[chosen_[0]];
  } else {
    for (std::int64_t j = 0; j < gate.top_k; ++j)
      weights[j] = gate_logits_[chosen_[j]];
    softmax_in_place(weights.data(), gate.top_k);
  }
  for (std::int64_t j = 0; j < gate.top_k; ++j)
    layer.experts[chosen_[j]].add(normed, weights[j], hidden_.data(), out);
}

}  // namespace requip::moe::detail

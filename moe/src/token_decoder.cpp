#include "token_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace requip::moe::detail {

namespace {

constexpr float layer_norm_epsilon = 1e-5f;  // torch::nn::LayerNorm's default

using Named = torch::OrderedDict<std::string, torch::Tensor>;

const torch::Tensor& find(const Named& named, const std::string& name) {
  const torch::Tensor* found = named.find(name);
  if (found == nullptr)
    throw std::logic_error(fmt::format("decoder: the model has no tensor '{}'", name));
  return *found;
}

std::vector<float> values_of(const torch::Tensor& tensor) {
  const torch::Tensor flat = tensor.detach().to(torch::kFloat32).contiguous().view(-1);
  return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

// torch::nn::Linear keeps (out, in); the decoder wants (in, out) so that a matrix-vector product
// is a run of contiguous axpys, which vectorise without reassociating sums.
TokenDecoder::Linear linear(const Named& named, const std::string& prefix, bool bias) {
  const torch::Tensor& weight = find(named, prefix + ".weight");
  TokenDecoder::Linear out{values_of(weight.t()), {}, weight.size(1), weight.size(0)};
  if (bias) out.b = values_of(find(named, prefix + ".bias"));
  return out;
}

TokenDecoder::LayerNorm layer_norm(const Named& named, const std::string& prefix) {
  return {values_of(find(named, prefix + ".weight")), values_of(find(named, prefix + ".bias"))};
}

// An FFN stored as the experts and DenseFfn store theirs: w1 (d, h), b1 (h), w2 (h, d), b2 (d).
TokenDecoder::Ffn ffn(const torch::Tensor& w1, const torch::Tensor& b1, const torch::Tensor& w2,
                      const torch::Tensor& b2) {
  return {{values_of(w1), values_of(b1), w1.size(0), w1.size(1)},
          {values_of(w2), values_of(b2), w2.size(0), w2.size(1)}};
}

TokenDecoder::Ffn dense_ffn(const Named& named, const std::string& prefix) {
  return ffn(find(named, prefix + ".w1"), find(named, prefix + ".b1"), find(named, prefix + ".w2"),
             find(named, prefix + ".b2"));
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
  Named named = model->named_parameters();
  for (const auto& buffer : model->named_buffers())
    named.insert(buffer.key(), buffer.value());

  const std::int64_t width = config_.n_embed;
  token_embedding_ = values_of(find(named, "token_embedding.weight"));
  position_embedding_ = values_of(find(named, "position_embedding.weight"));
  for (std::int64_t index = 0; index < config_.n_layer; ++index) {
    const std::string block = fmt::format("blocks.{}.", index);
    Layer layer;
    layer.ln_attention = layer_norm(named, block + "ln_attention");
    layer.ln_ffn = layer_norm(named, block + "ln_ffn");
    layer.qkv = linear(named, block + "attention.qkv", false);
    layer.proj = linear(named, block + "attention.proj", true);
    if (config_.dense) {
      layer.always.push_back(dense_ffn(named, block + "dense"));
    } else {
      const std::string moe = block + "moe.";
      const torch::Tensor& route = find(named, moe + "gate.route_weight");
      layer.gate.route = {values_of(route.t()), values_of(find(named, moe + "gate.route_bias")),
                          route.size(1), route.size(0)};
      const torch::Tensor mask = find(named, moe + "gate.expert_mask").to(torch::kBool);
      for (std::int64_t e = 0; e < mask.size(0); ++e)
        layer.gate.selectable.push_back(mask[e].item<bool>());
      if (config_.moe.bias_balancing)
        layer.gate.selection_bias = values_of(find(named, moe + "gate.selection_bias"));
      layer.gate.top_k = config_.moe.top_k;
      const auto &w1 = find(named, moe + "experts.w1"), &b1 = find(named, moe + "experts.b1");
      const auto &w2 = find(named, moe + "experts.w2"), &b2 = find(named, moe + "experts.b2");
      for (std::int64_t e = 0; e < w1.size(0); ++e)
        layer.experts.push_back(ffn(w1[e], b1[e], w2[e], b2[e]));
      if (config_.moe.shared_experts > 0) layer.always.push_back(dense_ffn(named, moe + "shared"));
    }
    layer.keys.resize(static_cast<std::size_t>(config_.block_size * width));
    layer.values.resize(layer.keys.size());
    layers_.push_back(std::move(layer));
  }
  ln_final_ = layer_norm(named, "ln_final");
  head_ = linear(named, "head", true);

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
  order_.resize(gate_logits_.size());
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
  const std::int64_t width = config_.n_embed;
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
  const std::int64_t width = config_.n_embed, heads = config_.n_head;
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
  std::fill(out, out + config_.n_embed, 0.0f);
  for (const Ffn& always : layer.always)
    always.add(normed, 1.0f, hidden_.data(), out);
  if (layer.experts.empty()) return;

  // The gate in eval mode: masked experts never win, the selection bias (if any) steers the
  // choice only, and the kept scores are softmaxed (at k = 1, the full softmax's probability).
  const Gate& gate = layer.gate;
  const auto experts = static_cast<std::int64_t>(layer.experts.size());
  gate.route.apply(normed, gate_logits_.data());
  for (std::int64_t e = 0; e < experts; ++e)
    if (!gate.selectable[e]) gate_logits_[e] = -std::numeric_limits<float>::infinity();
  std::vector<std::int64_t>& order = order_;
  std::iota(order.begin(), order.end(), 0);
  const auto selection = [&](std::int64_t e) {
    return gate.selection_bias.empty() ? gate_logits_[e] : gate_logits_[e] + gate.selection_bias[e];
  };
  std::partial_sort(order.begin(), order.begin() + gate.top_k, order.end(),
                    [&](std::int64_t a, std::int64_t b) { return selection(a) > selection(b); });
  std::vector<float>& weights = expert_weights_;
  if (gate.top_k == 1) {
    std::vector<float>& probabilities = probabilities_;
    probabilities = gate_logits_;
    softmax_in_place(probabilities.data(), experts);
    weights[0] = probabilities[order[0]];
  } else {
    for (std::int64_t j = 0; j < gate.top_k; ++j)
      weights[j] = gate_logits_[order[j]];
    softmax_in_place(weights.data(), gate.top_k);
  }
  for (std::int64_t j = 0; j < gate.top_k; ++j)
    layer.experts[order[j]].add(normed, weights[j], hidden_.data(), out);
}

}  // namespace requip::moe::detail

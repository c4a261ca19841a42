#include "gate_network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "prefetch.hpp"

namespace requip::router::detail {

namespace {

// A positive start keeps the ReLU open while the table is still zero, so gradients reach it.
constexpr float initial_hidden_bias = 0.1f;
// Adagrad's epsilon, as torch::optim::Adagrad has it.
constexpr double adagrad_epsilon = 1e-10;
// -log(1 - p) is cut off here, as p cannot be pushed below what a float tells from 1.
constexpr float surest = 1.0f - 1e-6f;
// More would be a blob that asks for gigabytes, not a skill set.
constexpr std::int64_t max_saved_experts = 1 << 16;

// torch::nn::Linear's initialisation, which moe::TopKGate keeps: U(-1/sqrt(in), 1/sqrt(in)).
float fan_in_uniform(std::mt19937_64& random, int fan_in) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  return std::uniform_real_distribution<float>(-bound, bound)(random);
}

}  // namespace

void GateNetwork::Dense::resize(std::size_t size, float initial) {
  value.resize(size, initial);
  square.resize(size, 0.0f);
  gradient.resize(size, 0.0f);
}

void GateNetwork::Dense::step(double learning_rate) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const float g = gradient[i];
    square[i] += g * g;
    value[i] -= static_cast<float>(learning_rate * g / (std::sqrt(square[i]) + adagrad_epsilon));
    gradient[i] = 0.0f;
  }
}

GateNetwork::GateNetwork(int dim, int members, int experts, std::uint64_t seed)
    : dim_(dim),
      members_(members),
      experts_(0),
      width_(dim * members),
      table_optimizer_(dim * members),
      random_(seed) {
  if (dim < 1 || members < 1 || experts < 1) {
    throw std::invalid_argument(fmt::format(
        "gate: dim {}, members {} and experts {} must all be at least 1", dim, members, experts));
  }
  hidden_bias_.resize(static_cast<std::size_t>(width_), initial_hidden_bias);
  grow(experts);
}

void GateNetwork::add_rows(std::int32_t rows) {
  if (rows <= this->rows()) return;
  table_.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(width_), 0.0f);
  table_square_.resize(static_cast<std::size_t>(rows), 0.0f);
}

void GateNetwork::grow(int experts) {
  if (experts <= experts_) return;
  const auto old = static_cast<std::size_t>(experts_);
  const auto wider = static_cast<std::size_t>(experts);
  const auto dim = static_cast<std::size_t>(dim_);
  Dense weights, biases;
  weights.resize(static_cast<std::size_t>(members_) * dim * wider, 0.0f);
  biases.resize(static_cast<std::size_t>(members_) * wider, 0.0f);
  for (std::size_t m = 0; m < static_cast<std::size_t>(members_); ++m) {
    // A new skill's row is drawn as a new gate's would be, skill by skill.
    for (std::size_t e = old; e < wider; ++e) {
      for (std::size_t k = 0; k < dim; ++k)
        weights.value[(m * dim + k) * wider + e] = fan_in_uniform(random_, dim_);
      biases.value[m * wider + e] = fan_in_uniform(random_, dim_);
    }
    for (std::size_t e = 0; e < old; ++e) {
      for (std::size_t k = 0; k < dim; ++k) {
        weights.value[(m * dim + k) * wider + e] = gate_weights_.value[(m * dim + k) * old + e];
        weights.square[(m * dim + k) * wider + e] = gate_weights_.square[(m * dim + k) * old + e];
      }
      biases.value[m * wider + e] = gate_biases_.value[m * old + e];
      biases.square[m * wider + e] = gate_biases_.square[m * old + e];
    }
  }
  gate_weights_ = std::move(weights);
  gate_biases_ = std::move(biases);
  experts_ = experts;
}

void GateNetwork::sum_rows(const Text& text, float* pre) const {
  std::copy(hidden_bias_.value.begin(), hidden_bias_.value.end(), pre);
  const auto width = static_cast<std::size_t>(width_);
  for (const auto& occurrence : text) {
    if (occurrence.row >= 0) prefetch(table_.data() + occurrence.row * width, width);
  }
  for (const auto& occurrence : text) {
    if (occurrence.row < 0) continue;
    const float* __restrict values =
        table_.data() + static_cast<std::size_t>(occurrence.row) * width;
    const float weight = occurrence.weight;
    for (std::size_t k = 0; k < width; ++k)
      pre[k] += weight * values[k];
  }
}

float GateNetwork::gate(int member, const float* hidden, const std::vector<bool>& allowed,
                        float* out, int target, float* top_score) const {
  const auto experts = static_cast<std::size_t>(experts_);
  const auto allows = [&](std::size_t e) { return e < allowed.size() && allowed[e]; };
  const float* weights = gate_weights_.value.data() + std::size_t(member) * dim_ * experts;
  const float* bias = gate_biases_.value.data() + std::size_t(member) * experts;
  std::copy(bias, bias + experts, out);
  for (int k = 0; k < dim_; ++k) {
    const float unit = hidden[k];
    if (unit == 0.0f) continue;  // a closed ReLU adds nothing
    const float* __restrict column = weights + std::size_t(k) * experts;
    for (std::size_t e = 0; e < experts; ++e)
      out[e] += unit * column[e];
  }
  float top = -std::numeric_limits<float>::infinity();
  for (std::size_t e = 0; e < experts; ++e) {
    if (allows(e)) top = std::max(top, out[e]);
  }
  const float target_score = target >= 0 ? out[target] : 0.0f;
  if (top_score) *top_score = top;
  float total = 0;
  for (std::size_t e = 0; e < experts; ++e) {
    out[e] = allows(e) ? std::exp(out[e] - top) : 0.0f;
    total += out[e];
  }
  // With no skill allowed, no probability: zeros rather than 0 / 0.
  const float share = total > 0 ? 1.0f / total : 0.0f;
  for (std::size_t e = 0; e < experts; ++e)
    out[e] *= share;
  return target >= 0 ? target_score - top - std::log(total) : 0.0f;
}

float GateNetwork::probabilities(const Text& text, const std::vector<bool>& allowed,
                                 std::vector<float>& out) const {
  thread_local std::vector<float> hidden, member;
  hidden.resize(static_cast<std::size_t>(width_));
  member.resize(static_cast<std::size_t>(experts_));
  sum_rows(text, hidden.data());
  for (auto& unit : hidden)
    unit = std::max(unit, 0.0f);
  out.assign(static_cast<std::size_t>(experts_), 0.0f);
  float top_sum = 0;
  for (int m = 0; m < members_; ++m) {
    float top = 0;
    gate(m, hidden.data() + std::size_t(m) * dim_, allowed, member.data(), -1, &top);
    top_sum += top;
    for (std::size_t e = 0; e < out.size(); ++e)
      out[e] += member[e] / static_cast<float>(members_);
  }
  return top_sum / static_cast<float>(members_);
}

double GateNetwork::step(const std::vector<const Text*>& texts, const std::vector<int>& targets,
                         const std::vector<bool>& allowed, Objective objective,
                         double learning_rate, double dropout, bool update_table) {
  const auto width = static_cast<std::size_t>(width_);
  const auto experts = static_cast<std::size_t>(experts_);
  const auto dim = static_cast<std::size_t>(dim_);
  const auto batch = static_cast<float>(texts.size());
  std::vector<float> pre(width), hidden(width), kept(width), upstream(width), probs(experts),
      scores(experts);
  std::vector<float> bag_gradients(texts.size() * width);
  std::bernoulli_distribution keep(1.0 - dropout);
  const auto keep_scale = static_cast<float>(1.0 / (1.0 - dropout));
  double loss = 0;
  for (std::size_t b = 0; b < texts.size(); ++b) {
    const auto target = static_cast<std::size_t>(targets[b]);
    sum_rows(*texts[b], pre.data());
    for (std::size_t k = 0; k < width; ++k) {
      kept[k] = dropout > 0 ? (keep(random_) ? keep_scale : 0.0f) : 1.0f;
      hidden[k] = std::max(pre[k], 0.0f) * kept[k];
    }
    std::fill(upstream.begin(), upstream.end(), 0.0f);
    for (std::size_t m = 0; m < static_cast<std::size_t>(members_); ++m) {
      const float* slice = hidden.data() + m * dim;
      const float log_p = gate(static_cast<int>(m), slice, allowed, probs.data(), targets[b]);
      const float p = probs[target];
      // d loss / d score_e. Raising: p_e - [e = target]. Lowering: that times -p / (1 - p).
      // Skills outside the softmax have p_e = 0 and get nothing.
      float scale = 1.0f / batch;
      if (objective == Objective::raise) {
        loss -= log_p;
      } else {
        loss -= std::log1p(-std::min(p, surest));
        scale *= p < surest ? -p / (1.0f - p) : 0.0f;
      }
      float* weights = gate_weights_.value.data() + m * dim * experts;
      float* weight_gradient = gate_weights_.gradient.data() + m * dim * experts;
      float* bias_gradient = gate_biases_.gradient.data() + m * experts;
      for (std::size_t e = 0; e < experts; ++e) {
        scores[e] = (probs[e] - (e == target ? 1.0f : 0.0f)) * scale;
        bias_gradient[e] += scores[e];
      }
      for (std::size_t k = 0; k < dim; ++k) {
        float back = 0;
        for (std::size_t e = 0; e < experts; ++e) {
          weight_gradient[k * experts + e] += slice[k] * scores[e];
          back += weights[k * experts + e] * scores[e];
        }
        upstream[m * dim + k] = back;
      }
    }
    float* bag = bag_gradients.data() + b * width;
    for (std::size_t k = 0; k < width; ++k) {
      bag[k] = pre[k] > 0 ? upstream[k] * kept[k] : 0.0f;
      hidden_bias_.gradient[k] += bag[k];
    }
  }
  gate_weights_.step(learning_rate);
  gate_biases_.step(learning_rate);
  if (update_table) {
    hidden_bias_.step(learning_rate);
    std::vector<std::int64_t> ids, offsets;
    std::vector<float> weights;
    for (const auto* text : texts) {
      offsets.push_back(static_cast<std::int64_t>(ids.size()));
      for (const auto& occurrence : *text) {
        if (occurrence.row < 0) continue;
        ids.push_back(occurrence.row);
        weights.push_back(occurrence.weight);
      }
    }
    table_optimizer_.step(table_.data(), table_square_.data(),
                          {ids.data(), weights.data(), ids.size(), offsets.data(), offsets.size()},
                          bag_gradients.data(), learning_rate);
  } else {
    // A rejection says what a text is not, weak evidence about its n-grams: the hidden bias
    // stays too, as a run of rejections pushing it below zero would close every ReLU and
    // leave the gate answering one skill for everything.
    std::fill(hidden_bias_.gradient.begin(), hidden_bias_.gradient.end(), 0.0f);
  }
  return loss / static_cast<double>(texts.size()) / members_;
}

std::vector<PackedArray> GateNetwork::state() const {
  const std::int64_t rows = this->rows(), width = width_, members = members_, dim = dim_,
                     experts = experts_;
  return {PackedArray::of("table", table_, {rows, width}),
          PackedArray::of("table_square", table_square_, {rows}),
          PackedArray::of("hidden_bias", hidden_bias_.value, {width}),
          PackedArray::of("hidden_bias_square", hidden_bias_.square, {width}),
          PackedArray::of("gate_weights", gate_weights_.value, {members, dim, experts}),
          PackedArray::of("gate_weights_square", gate_weights_.square, {members, dim, experts}),
          PackedArray::of("gate_biases", gate_biases_.value, {members, experts}),
          PackedArray::of("gate_biases_square", gate_biases_.square, {members, experts})};
}

void GateNetwork::set_state(const SavedArrays& saved, std::int64_t rows) {
  const std::int64_t experts = saved.size("gate_biases", 2, 1);
  if (experts < 1 || experts > max_saved_experts) misfit("gate_biases");
  const std::int64_t width = width_, members = members_, dim = dim_;
  const auto dense = [&](std::string_view name, const std::vector<std::int64_t>& sizes) {
    auto value = saved.floats(name, sizes);
    const std::size_t size = value.size();
    return Dense{std::move(value), saved.floats(std::string(name) + "_square", sizes),
                 std::vector<float>(size)};
  };
  // Everything is read and checked before anything changes.
  auto table = saved.floats("table", {rows, width});
  auto table_square = saved.floats("table_square", {rows});
  auto hidden_bias = dense("hidden_bias", {width});
  auto gate_weights = dense("gate_weights", {members, dim, experts});
  auto gate_biases = dense("gate_biases", {members, experts});
  table_ = std::move(table);
  table_square_ = std::move(table_square);
  hidden_bias_ = std::move(hidden_bias);
  gate_weights_ = std::move(gate_weights);
  gate_biases_ = std::move(gate_biases);
  experts_ = static_cast<int>(experts);
}

}  // namespace requip::router::detail

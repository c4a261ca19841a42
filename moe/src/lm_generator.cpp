#include "requip/moe/lm_generator.hpp"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>

#include "token_decoder.hpp"

namespace requip::moe {

namespace {

// Draws one id from the last position's logits with temperature and top-k, in plain C++:
// for one row of a few dozen logits, tensor ops would cost more than the arithmetic.
std::int64_t draw(const std::vector<float>& logits, const SampleOptions& options,
                  std::mt19937_64& rng) {
  const float* data = logits.data();
  const auto vocab = logits.size();
  std::vector<std::size_t> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  std::size_t kept = vocab;
  if (options.top_k > 0 && static_cast<std::size_t>(options.top_k) < vocab) {
    kept = static_cast<std::size_t>(options.top_k);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
                      [&](std::size_t a, std::size_t b) { return data[a] > data[b]; });
  }
  const double temperature = std::max(options.temperature, 1e-6);
  double top = -INFINITY;
  for (std::size_t i = 0; i < kept; ++i)
    top = std::max(top, static_cast<double>(data[order[i]]));
  std::vector<double> weights(kept);
  for (std::size_t i = 0; i < kept; ++i) {
    weights[i] = std::exp((data[order[i]] - top) / temperature);
  }
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  return static_cast<std::int64_t>(order[pick(rng)]);
}

std::vector<float> as_floats(const torch::Tensor& row) {
  const torch::Tensor values = row.to(torch::kFloat32).contiguous();
  return {values.data_ptr<float>(), values.data_ptr<float>() + values.numel()};
}

torch::Tensor as_batch(const std::vector<std::int64_t>& ids) {
  return torch::tensor(ids, torch::kInt64).view({1, -1});  // (1, T)
}

}  // namespace

std::vector<std::int64_t> generate(LanguageModel& model, std::vector<std::int64_t> prompt,
                                   const SampleOptions& options,
                                   const std::function<void(std::int64_t)>& on_id) {
  c10::InferenceMode inference;
  model->eval();
  const std::int64_t block = model->config().block_size;
  std::vector<std::int64_t> history = prompt.empty() ? std::vector<std::int64_t>{0} : prompt;
  std::mt19937_64 rng(options.seed);

  // Two engines give the next logits: the position-at-a-time decoder, and the full model, which
  // re-reads the context for every character (the baseline) or, for expert choice, keeps a KV
  // cache of tensors.
  const bool decode = options.kv_cache && detail::TokenDecoder::supports(model->config());
  std::optional<detail::TokenDecoder> decoder;
  if (decode) decoder.emplace(model);
  KvCache cache = model->new_cache(1);
  std::vector<float> logits;

  // Restart from the newest `keep` ids of the history.
  auto reread = [&](std::int64_t keep) {
    const auto first = history.end() - std::min<std::ptrdiff_t>(keep, std::ssize(history));
    if (decoder) {
      logits = decoder->read({first, history.end()});
      return;
    }
    cache.length = 0;
    logits = as_floats(model->forward(as_batch({first, history.end()}), &cache).logits[0][-1]);
  };
  auto advance = [&](std::int64_t id) {
    if (decoder) {
      logits = decoder->step(id);
    } else {
      logits = as_floats(model->forward(as_batch({id}), &cache).logits[0][-1]);
    }
  };

  reread(block);
  std::vector<std::int64_t> generated;
  generated.reserve(static_cast<std::size_t>(options.count));
  for (std::int64_t i = 0; i < options.count; ++i) {
    const std::int64_t id = draw(logits, options, rng);
    history.push_back(id);
    generated.push_back(id);
    if (on_id) on_id(id);
    if (i + 1 == options.count) break;
    const std::int64_t filled = decoder ? decoder->length() : cache.length;
    if (!options.kv_cache || filled == block) {
      reread(options.kv_cache ? std::max<std::int64_t>(1, block / 2) : block);
    } else {
      advance(id);
    }
  }
  return generated;
}

}  // namespace requip::moe

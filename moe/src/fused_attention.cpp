#include "fused_attention.hpp"

#include "blas.hpp"
#include "task_grain.hpp"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace requip::moe::detail {

namespace {

// Query rows per block: block r needs only the keys up to its last row, which skips most of
// the masked upper triangle while keeping each GEMM large enough to run at speed.
constexpr std::int64_t row_block = 32;

// One head of one sequence: where its rows live. Rows are head_size floats apart by `stride`.
struct Head {
  const float* q;
  std::int64_t q_stride;
  const float* k;
  const float* v;
  std::int64_t kv_stride;
  std::int64_t rows;  // T query positions
  std::int64_t past;  // keys before the first query position
  std::int64_t keys() const { return past + rows; }
};

// probs (rows x keys) := causal softmax(scale * q k^T); zeros above the diagonal.
void attention_probabilities(const Head& head, std::int64_t head_size, float scale, float* probs) {
  const std::int64_t keys = head.keys();
  for (std::int64_t i0 = 0; i0 < head.rows; i0 += row_block) {
    const std::int64_t n = std::min(row_block, head.rows - i0);
    gemm(Transpose::yes, Transpose::no, head.past + i0 + n, n, head_size, scale, head.k,
         head.kv_stride, head.q + i0 * head.q_stride, head.q_stride, 0.0f, probs + i0 * keys, keys);
  }
  for (std::int64_t i = 0; i < head.rows; ++i) {
    float* row = probs + i * keys;
    const std::int64_t visible = head.past + i + 1;
    const float top = *std::max_element(row, row + visible);
    float sum = 0.0f;
    for (std::int64_t j = 0; j < visible; ++j)
      sum += row[j] = std::exp(row[j] - top);
    const float inverse = 1.0f / sum;
    for (std::int64_t j = 0; j < visible; ++j)
      row[j] *= inverse;
    std::fill(row + visible, row + keys, 0.0f);
  }
}

// y (rows x head_size, rows y_stride apart) := weights v, weights causal (rows x keys).
void weighted_values(const Head& head, std::int64_t head_size, const float* weights, float* y,
                     std::int64_t y_stride) {
  const std::int64_t keys = head.keys();
  for (std::int64_t i0 = 0; i0 < head.rows; i0 += row_block) {
    const std::int64_t n = std::min(row_block, head.rows - i0);
    gemm(Transpose::no, Transpose::no, head_size, n, head.past + i0 + n, 1.0f, head.v,
         head.kv_stride, weights + i0 * keys, keys, 0.0f, y + i0 * y_stride, y_stride);
  }
}

// weights := probs with the dropout draw for elements [first, first + count) applied.
void apply_dropout(const DropoutDraw& draw, std::uint64_t first, const float* probs, float* weights,
                   std::int64_t count) {
  draw.fill(weights, first, count);
  for (std::int64_t i = 0; i < count; ++i)
    weights[i] *= probs[i];
}

struct Shape {
  std::int64_t batch, time, width, n_head;
  std::int64_t head_size() const { return width / n_head; }
  float scale() const { return static_cast<float>(1.0 / std::sqrt(double(head_size()))); }
};

// Head `bh` (batch-major) of a (B, T, 3C) projection, training layout: no past.
Head head_of(const float* qkv, const Shape& s, std::int64_t bh) {
  const float* base =
      qkv + (bh / s.n_head) * s.time * 3 * s.width + (bh % s.n_head) * s.head_size();
  return {base, 3 * s.width, base + s.width, base + 2 * s.width, 3 * s.width, s.time, 0};
}

class FusedCausalAttention : public torch::autograd::Function<FusedCausalAttention> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& qkv,
                               std::int64_t n_head, const DropoutDraw& draw, bool dropping) {
    const Shape s{qkv.size(0), qkv.size(1), qkv.size(2) / 3, n_head};
    const torch::Tensor input = qkv.contiguous();
    auto probs = torch::empty({s.batch * n_head, s.time, s.time}, input.options());
    auto y = torch::empty({s.batch, s.time, s.width}, input.options());
    const std::int64_t area = s.time * s.time;
    const std::int64_t heads = s.batch * n_head;
    const std::int64_t grain = task_grain(heads, 4 * area * s.head_size());
    at::parallel_for(0, heads, grain, [&](std::int64_t begin, std::int64_t end) {
      std::vector<float> weights(dropping ? static_cast<std::size_t>(area) : 0);
      for (std::int64_t bh = begin; bh < end; ++bh) {
        const Head head = head_of(input.data_ptr<float>(), s, bh);
        float* p = probs.data_ptr<float>() + bh * area;
        attention_probabilities(head, s.head_size(), s.scale(), p);
        if (dropping) apply_dropout(draw, bh * area, p, weights.data(), area);
        weighted_values(
            head, s.head_size(), dropping ? weights.data() : p,
            y.data_ptr<float>() + (bh / n_head) * s.time * s.width + (bh % n_head) * s.head_size(),
            s.width);
      }
    });
    context->save_for_backward({input, probs});
    context->saved_data["n_head"] = n_head;
    context->saved_data["dropping"] = dropping;
    context->saved_data["seed"] = static_cast<std::int64_t>(draw.seed);
    context->saved_data["first_hash"] = static_cast<std::int64_t>(draw.first_hash);
    context->saved_data["threshold"] = static_cast<std::int64_t>(draw.threshold);
    context->saved_data["keep_scale"] = static_cast<double>(draw.keep_scale);
    return y;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list grads) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor& input = saved[0];
    const torch::Tensor& probs = saved[1];
    const std::int64_t n_head = context->saved_data["n_head"].toInt();
    const bool dropping = context->saved_data["dropping"].toBool();
    const DropoutDraw draw{static_cast<std::uint64_t>(context->saved_data["seed"].toInt()),
                           static_cast<std::uint64_t>(context->saved_data["first_hash"].toInt()),
                           static_cast<std::uint32_t>(context->saved_data["threshold"].toInt()),
                           static_cast<float>(context->saved_data["keep_scale"].toDouble())};
    const Shape s{input.size(0), input.size(1), input.size(2) / 3, n_head};
    const torch::Tensor grad_y = grads[0].contiguous();
    auto grad_qkv = torch::empty_like(input);
    const std::int64_t t = s.time, hs = s.head_size(), area = t * t;
    const float scale = s.scale();
    at::parallel_for(0, s.batch * n_head, 1, [&](std::int64_t begin, std::int64_t end) {
      std::vector<float> weights(static_cast<std::size_t>(area)), grad_scores(weights.size());
      for (std::int64_t bh = begin; bh < end; ++bh) {
        const Head head = head_of(input.data_ptr<float>(), s, bh);
        const float* p = probs.data_ptr<float>() + bh * area;
        const std::int64_t offset =
            (bh / n_head) * t * s.width + (bh % n_head) * hs;  // in (B, T, C) units
        const float* dy = grad_y.data_ptr<float>() + offset;
        float* dq =
            grad_qkv.data_ptr<float>() + (bh / n_head) * t * 3 * s.width + (bh % n_head) * hs;
        float* dk = dq + s.width;
        float* dv = dq + 2 * s.width;
        const std::int64_t ld = 3 * s.width;
        if (dropping) apply_dropout(draw, bh * area, p, weights.data(), area);
        const float* used = dropping ? weights.data() : p;
        float* dp = grad_scores.data();
        // d(weights) = dy v^T, only at or below the diagonal.
        for (std::int64_t i0 = 0; i0 < t; i0 += row_block) {
          const std::int64_t n = std::min(row_block, t - i0);
          gemm(Transpose::yes, Transpose::no, i0 + n, n, hs, 1.0f, head.v, ld, dy + i0 * s.width,
               s.width, 0.0f, dp + i0 * t, t);
        }
        // dv = weights^T dy
        gemm(Transpose::no, Transpose::yes, hs, t, t, 1.0f, dy, s.width, used, t, 0.0f, dv, ld);
        // Through dropout and softmax: ds = p * (dp - sum(p * dp)), times the score scale.
        for (std::int64_t i = 0; i < t; ++i) {
          float* row = dp + i * t;
          const float* prob = p + i * t;
          const float* kept = weights.data() + i * t;
          float dot = 0.0f;
          for (std::int64_t j = 0; j <= i; ++j) {
            if (dropping) row[j] = kept[j] == 0.0f ? 0.0f : row[j] * draw.keep_scale;
            dot += row[j] * prob[j];
          }
          for (std::int64_t j = 0; j <= i; ++j)
            row[j] = scale * prob[j] * (row[j] - dot);
          std::fill(row + i + 1, row + t, 0.0f);
        }
        // dq = ds k, causal blocks; dk = ds^T q.
        for (std::int64_t i0 = 0; i0 < t; i0 += row_block) {
          const std::int64_t n = std::min(row_block, t - i0);
          gemm(Transpose::no, Transpose::no, hs, n, i0 + n, 1.0f, head.k, ld, dp + i0 * t, t, 0.0f,
               dq + i0 * ld, ld);
        }
        gemm(Transpose::no, Transpose::yes, hs, t, t, 1.0f, head.q, ld, dp, t, 0.0f, dk, ld);
      }
    });
    return {grad_qkv, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor fused_causal_attention(const torch::Tensor& qkv, std::int64_t n_head,
                                     FastDropout& dropout, bool training) {
  const bool dropping = training && dropout.p() > 0;
  const std::int64_t elements = qkv.size(0) * n_head * qkv.size(1) * qkv.size(1);
  const DropoutDraw draw = dropping ? dropout.draw(elements) : DropoutDraw{0, 0, 0, 1.0f};
  return FusedCausalAttention::apply(qkv, n_head, draw, dropping);
}

torch::Tensor cached_causal_attention(const torch::Tensor& qkv, const KvCache::Layer& cache,
                                      std::int64_t n_head, std::int64_t past) {
  const torch::Tensor input = qkv.contiguous();
  const Shape s{input.size(0), input.size(1), input.size(2) / 3, n_head};
  const std::int64_t block = cache.keys.size(2), hs = s.head_size();
  const std::int64_t keys = past + s.time;
  auto y = torch::empty({s.batch, s.time, s.width}, input.options());
  const std::int64_t heads = s.batch * n_head;
  at::parallel_for(
      0, heads, task_grain(heads, 4 * s.time * keys * hs),
      [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> probs(static_cast<std::size_t>(s.time * keys));
        for (std::int64_t bh = begin; bh < end; ++bh) {
          const float* q =
              input.data_ptr<float>() + (bh / n_head) * s.time * 3 * s.width + (bh % n_head) * hs;
          const Head head{q,
                          3 * s.width,
                          cache.keys.data_ptr<float>() + bh * block * hs,
                          cache.values.data_ptr<float>() + bh * block * hs,
                          hs,
                          s.time,
                          past};
          attention_probabilities(head, hs, s.scale(), probs.data());
          weighted_values(
              head, hs, probs.data(),
              y.data_ptr<float>() + (bh / n_head) * s.time * s.width + (bh % n_head) * hs, s.width);
        }
      });
  return y;
}

}  // namespace requip::moe::detail

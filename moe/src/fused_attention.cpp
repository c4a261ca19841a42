#include "fused_attention.hpp"

#include "blas.hpp"
#include "parallel_tasks.hpp"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

namespace requip::moe::detail {

namespace {

// Query rows per block: block r needs only the keys up to its last row, which skips most of
// the masked upper triangle while keeping each GEMM large enough to run at speed. Backward cuts
// the keys into blocks of as many columns, which only the rows from that block on can see.
constexpr std::int64_t row_block = 32;

// The loops over one row of scores: softmax, dropout and its gradient run over every score of
// every head, so they get a clone for each vector width. omp simd lets their sums vectorise.
#define REQUIP_ROW_LOOP \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// e^x for x <= 0, vectorisable: 2^n e^r with n = round(x log2 e), |r| <= ln 2 / 2, e^r from
// Cephes' degree-6 polynomial (relative error about 2e-7). Below -87 the result is taken as
// e^-87, which softmax rounds away next to its largest term, 1.
inline float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  constexpr float round_magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  const float n = (x * 1.44269504f + round_magic) - round_magic;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  const float p =
      ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) *
           r +
       1.6666665459e-1f) *
          r +
      5.0000001201e-1f;
  const float e_r = p * r * r + r + 1.0f;
  return e_r * std::bit_cast<float>((static_cast<std::int32_t>(n) + 127) << 23);
}

// row[0, visible) := softmax(row[0, visible)); row[visible, width) := 0.
REQUIP_ROW_LOOP void softmax_row(float* row, std::int64_t visible, std::int64_t width) {
  float top = row[0];
#pragma omp simd reduction(max : top)
  for (std::int64_t j = 0; j < visible; ++j)
    top = std::max(top, row[j]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (std::int64_t j = 0; j < visible; ++j) {
    row[j] = exp_nonpositive(row[j] - top);
    sum += row[j];
  }
  const float inverse = 1.0f / sum;
  for (std::int64_t j = 0; j < visible; ++j)
    row[j] *= inverse;
  std::fill(row + visible, row + width, 0.0f);
}

// row[0, visible) := d scores from the gradient of the weights (in row) and the probabilities;
// the weights were probs * factors, factors the dropout's. Zero past `visible`.
REQUIP_ROW_LOOP void softmax_gradient_row(float* row, const float* prob, const float* factors,
                                          std::int64_t visible, std::int64_t width, float scale) {
  float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
  for (std::int64_t j = 0; j < visible; ++j) {
    if (factors != nullptr) row[j] *= factors[j];
    dot += row[j] * prob[j];
  }
  for (std::int64_t j = 0; j < visible; ++j)
    row[j] = scale * prob[j] * (row[j] - dot);
  std::fill(row + visible, row + width, 0.0f);
}

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
  for (std::int64_t i = 0; i < head.rows; ++i)
    softmax_row(probs + i * keys, head.past + i + 1, keys);
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

// A (t x t) causal head's dropout, its elements starting at `first` of the draw: factors
// drawn at and below the diagonal only (zero above), and weights := probs * factors. Forward,
// which needs no factors afterwards, passes one buffer as both.
void causal_dropout(const DropoutDraw& draw, std::uint64_t first, std::int64_t t,
                    const float* probs, float* factors, float* weights) {
  for (std::int64_t i = 0; i < t; ++i) {
    draw.fill(factors + i * t, first + static_cast<std::uint64_t>(i * t), i + 1);
    std::fill(factors + i * t + i + 1, factors + (i + 1) * t, 0.0f);
  }
  for (std::int64_t i = 0; i < t * t; ++i)
    weights[i] = factors[i] * probs[i];
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
        if (dropping) causal_dropout(draw, bh * area, s.time, p, weights.data(), weights.data());
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
      std::vector<float> factors(dropping ? static_cast<std::size_t>(area) : 0);
      std::vector<float> weights(factors.size()), grad_scores(static_cast<std::size_t>(area));
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
        if (dropping) causal_dropout(draw, bh * area, t, p, factors.data(), weights.data());
        const float* used = dropping ? weights.data() : p;
        float* dp = grad_scores.data();
        for (std::int64_t i0 = 0; i0 < t; i0 += row_block) {
          const std::int64_t n = std::min(row_block, t - i0);
          // d(weights) = dy v^T, rows i0.. up to their last visible key.
          gemm(Transpose::yes, Transpose::no, i0 + n, n, hs, 1.0f, head.v, ld, dy + i0 * s.width,
               s.width, 0.0f, dp + i0 * t, t);
          // dv of keys i0.. = weights^T dy over the rows that see them.
          gemm(Transpose::no, Transpose::yes, hs, n, t - i0, 1.0f, dy + i0 * s.width, s.width,
               used + i0 * t + i0, t, 0.0f, dv + i0 * ld, ld);
        }
        // Through dropout and softmax: ds = p * (dp - sum(p * dp)), times the score scale.
        for (std::int64_t i = 0; i < t; ++i)
          softmax_gradient_row(dp + i * t, p + i * t, dropping ? factors.data() + i * t : nullptr,
                               i + 1, t, scale);
        for (std::int64_t i0 = 0; i0 < t; i0 += row_block) {
          const std::int64_t n = std::min(row_block, t - i0);
          // dq = ds k, and dk of keys i0.. = ds^T q over the rows that see them.
          gemm(Transpose::no, Transpose::no, hs, n, i0 + n, 1.0f, head.k, ld, dp + i0 * t, t, 0.0f,
               dq + i0 * ld, ld);
          gemm(Transpose::no, Transpose::yes, hs, n, t - i0, 1.0f, head.q + i0 * ld, ld,
               dp + i0 * t + i0, t, 0.0f, dk + i0 * ld, ld);
        }
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

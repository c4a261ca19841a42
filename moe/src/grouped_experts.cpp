#include "grouped_experts.hpp"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <vector>

#include "blas.hpp"
#include "task_grain.hpp"

namespace requip::moe::detail {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// The kept slots bucketed by expert: slots[segment[e] .. segment[e + 1]) go to expert e, in
// token order. position[s] is where slot s sits in that list, or -1 if it was dropped.
struct Buckets {
  torch::Tensor slots;     // (S_kept) int64
  torch::Tensor segment;   // (E + 1) int64
  torch::Tensor position;  // (S) int64
};

Buckets bucket_slots(const torch::Tensor& indices, std::int64_t experts, std::int64_t capacity) {
  const torch::Tensor flat = indices.reshape(-1).to(torch::kLong).contiguous();
  const std::int64_t* expert = flat.data_ptr<std::int64_t>();
  const std::int64_t total = flat.numel();
  std::vector<std::int64_t> count(static_cast<std::size_t>(experts), 0);
  for (std::int64_t s = 0; s < total; ++s)
    ++count[expert[s]];
  Buckets b{torch::empty({0}, torch::kLong), torch::zeros({experts + 1}, torch::kLong),
            torch::full({total}, -1, torch::kLong)};
  std::int64_t* segment = b.segment.data_ptr<std::int64_t>();
  for (std::int64_t e = 0; e < experts; ++e) {
    const std::int64_t served = capacity > 0 ? std::min(count[e], capacity) : count[e];
    segment[e + 1] = segment[e] + served;
  }
  b.slots = torch::empty({segment[experts]}, torch::kLong);
  std::int64_t* slots = b.slots.data_ptr<std::int64_t>();
  std::int64_t* position = b.position.data_ptr<std::int64_t>();
  std::vector<std::int64_t> next(segment, segment + experts);
  for (std::int64_t s = 0; s < total; ++s) {
    const std::int64_t e = expert[s];
    if (next[e] == segment[e + 1]) continue;  // over capacity: dropped
    position[s] = next[e];
    slots[next[e]++] = s;
  }
  return b;
}

// Rows rows[r] = x[slots[r] / k] of (n, d) for the slots of one segment.
void gather_rows(const float* x, std::int64_t d, const std::int64_t* slots, std::int64_t n,
                 std::int64_t top_k, float* rows) {
  for (std::int64_t r = 0; r < n; ++r)
    std::copy_n(x + (slots[r] / top_k) * d, d, rows + r * d);
}

// out[t] = sum_j scale(t, j) * slot_rows[position[t * k + j]] over kept slots, for every token.
template <typename Scale>
void combine_slots(const float* slot_rows, const std::int64_t* position, std::int64_t tokens,
                   std::int64_t top_k, std::int64_t d, Scale scale, float* out) {
  at::parallel_for(0, tokens, 256, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) {
      float* row = out + t * d;
      std::fill_n(row, d, 0.0f);
      for (std::int64_t j = 0; j < top_k; ++j) {
        const std::int64_t p = position[t * top_k + j];
        if (p < 0) continue;
        const float w = scale(t * top_k + j);
        const float* from = slot_rows + p * d;
        for (std::int64_t c = 0; c < d; ++c)
          row[c] += w * from[c];
      }
    }
  });
}

void add_column_sums(const float* rows, std::int64_t n, std::int64_t width, float* sums) {
  for (std::int64_t r = 0; r < n; ++r)
    for (std::int64_t c = 0; c < width; ++c)
      sums[c] += rows[r * width + c];
}

class GroupedExperts : public torch::autograd::Function<GroupedExperts> {
 public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& x_in,
                               const torch::Tensor& weights_in, const torch::Tensor& w1,
                               const torch::Tensor& b1, const torch::Tensor& w2,
                               const torch::Tensor& b2, const torch::Tensor& indices,
                               std::int64_t capacity) {
    const torch::Tensor x = x_in.contiguous(), weights = weights_in.contiguous();
    const std::int64_t n = x.size(0), d = x.size(1), h = w1.size(2), top_k = indices.size(1);
    const std::int64_t experts = w1.size(0);
    const Buckets b = bucket_slots(indices, experts, capacity);
    const std::int64_t kept = b.slots.numel();
    auto hidden = torch::empty({kept, h}, x.options());   // ReLU outputs, for backward
    auto outputs = torch::empty({kept, d}, x.options());  // unweighted expert outputs
    const std::int64_t* segment = b.segment.data_ptr<std::int64_t>();
    const std::int64_t* slots = b.slots.data_ptr<std::int64_t>();
    const std::int64_t grain = task_grain(experts, 4 * kept * d * h / experts);
    at::parallel_for(0, experts, grain, [&](std::int64_t begin, std::int64_t end) {
      std::vector<float> rows;
      for (std::int64_t e = begin; e < end; ++e) {
        const std::int64_t first = segment[e], count = segment[e + 1] - first;
        if (count == 0) continue;
        rows.resize(static_cast<std::size_t>(count * d));
        gather_rows(x.data_ptr<float>(), d, slots + first, count, top_k, rows.data());
        float* hid = hidden.data_ptr<float>() + first * h;
        float* out = outputs.data_ptr<float>() + first * d;
        const float* bias1 = b1.data_ptr<float>() + e * h;
        const float* bias2 = b2.data_ptr<float>() + e * d;
        // Row-major (count x h) = rows (count x d) . w1[e] (d x h), as column-major C^T.
        gemm(Transpose::no, Transpose::no, h, count, d, 1.0f, w1.data_ptr<float>() + e * d * h, h,
             rows.data(), d, 0.0f, hid, h);
        for (std::int64_t r = 0; r < count; ++r) {
          float* row = hid + r * h;
          for (std::int64_t c = 0; c < h; ++c) {  // branch-free: signs are a coin toss
            const float v = row[c] + bias1[c];
            row[c] = v > 0.0f ? v : 0.0f;
          }
          std::copy_n(bias2, d, out + r * d);
        }
        gemm(Transpose::no, Transpose::no, d, count, h, 1.0f, w2.data_ptr<float>() + e * h * d, d,
             hid, h, 1.0f, out, d);
      }
    });
    auto y = torch::empty({n, d}, x.options());
    const float* gate = weights.data_ptr<float>();
    combine_slots(
        outputs.data_ptr<float>(), b.position.data_ptr<std::int64_t>(), n, top_k, d,
        [gate](std::int64_t s) { return gate[s]; }, y.data_ptr<float>());
    context->save_for_backward(
        {x, weights, w1, w2, hidden, outputs, b.slots, b.segment, b.position});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list grads) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &weights = saved[1], &w1 = saved[2], &w2 = saved[3];
    const torch::Tensor &hidden = saved[4], &outputs = saved[5];
    const std::int64_t* slots = saved[6].data_ptr<std::int64_t>();
    const std::int64_t* segment = saved[7].data_ptr<std::int64_t>();
    const std::int64_t* position = saved[8].data_ptr<std::int64_t>();
    const torch::Tensor grad_y = grads[0].contiguous();
    const std::int64_t n = x.size(0), d = x.size(1), h = w1.size(2), experts = w1.size(0);
    const std::int64_t top_k = weights.size(1);
    const float* dy = grad_y.data_ptr<float>();

    // d weights[s] = <dy[token], expert output of s>; dropped slots get none.
    auto grad_weights = torch::zeros_like(weights);
    float* dw = grad_weights.data_ptr<float>();
    const float* out = outputs.data_ptr<float>();
    at::parallel_for(0, n * top_k, 1024, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t s = begin; s < end; ++s) {
        if (position[s] < 0) continue;
        const float* a = dy + (s / top_k) * d;
        const float* o = out + position[s] * d;
        float dot = 0.0f;
        for (std::int64_t c = 0; c < d; ++c)
          dot += a[c] * o[c];
        dw[s] = dot;
      }
    });

    auto grad_w1 = torch::zeros_like(w1), grad_b1 = torch::zeros({experts, h}, x.options());
    auto grad_w2 = torch::zeros_like(w2), grad_b2 = torch::zeros({experts, d}, x.options());
    auto grad_slots = torch::empty({saved[6].numel(), d}, x.options());  // d x per kept slot
    const float* gate = weights.data_ptr<float>();
    const std::int64_t grain = task_grain(experts, 8 * saved[6].numel() * d * h / experts);
    at::parallel_for(0, experts, grain, [&](std::int64_t begin, std::int64_t end) {
      std::vector<float> rows, grad_out, grad_hidden;
      for (std::int64_t e = begin; e < end; ++e) {
        const std::int64_t first = segment[e], count = segment[e + 1] - first;
        if (count == 0) continue;
        rows.resize(static_cast<std::size_t>(count * d));
        grad_out.resize(rows.size());
        grad_hidden.resize(static_cast<std::size_t>(count * h));
        gather_rows(x.data_ptr<float>(), d, slots + first, count, top_k, rows.data());
        for (std::int64_t r = 0; r < count; ++r) {
          const std::int64_t s = slots[first + r];
          const float w = gate[s];
          const float* from = dy + (s / top_k) * d;
          for (std::int64_t c = 0; c < d; ++c)
            grad_out[r * d + c] = w * from[c];
        }
        const float* hid = hidden.data_ptr<float>() + first * h;
        const float* w1e = w1.data_ptr<float>() + e * d * h;
        const float* w2e = w2.data_ptr<float>() + e * h * d;
        // dw2 (h x d) = hid^T grad_out; db2 = column sums of grad_out.
        gemm(Transpose::no, Transpose::yes, d, h, count, 1.0f, grad_out.data(), d, hid, h, 0.0f,
             grad_w2.data_ptr<float>() + e * h * d, d);
        add_column_sums(grad_out.data(), count, d, grad_b2.data_ptr<float>() + e * d);
        // d hidden = grad_out w2^T, through the ReLU.
        gemm(Transpose::yes, Transpose::no, h, count, d, 1.0f, w2e, d, grad_out.data(), d, 0.0f,
             grad_hidden.data(), h);
        for (std::int64_t i = 0; i < count * h; ++i)
          grad_hidden[i] = hid[i] > 0.0f ? grad_hidden[i] : 0.0f;
        // dw1 (d x h) = rows^T d hidden; db1; d rows = d hidden w1^T.
        gemm(Transpose::no, Transpose::yes, h, d, count, 1.0f, grad_hidden.data(), h, rows.data(),
             d, 0.0f, grad_w1.data_ptr<float>() + e * d * h, h);
        add_column_sums(grad_hidden.data(), count, h, grad_b1.data_ptr<float>() + e * h);
        gemm(Transpose::yes, Transpose::no, d, count, h, 1.0f, w1e, h, grad_hidden.data(), h, 0.0f,
             grad_slots.data_ptr<float>() + first * d, d);
      }
    });
    auto grad_x = torch::empty_like(x);
    combine_slots(
        grad_slots.data_ptr<float>(), position, n, top_k, d, [](std::int64_t) { return 1.0f; },
        grad_x.data_ptr<float>());
    return {grad_x,  grad_weights, grad_w1,         grad_b1,
            grad_w2, grad_b2,      torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor grouped_experts(const torch::Tensor& x, const torch::Tensor& indices,
                              const torch::Tensor& weights, const torch::Tensor& w1,
                              const torch::Tensor& b1, const torch::Tensor& w2,
                              const torch::Tensor& b2, std::int64_t capacity) {
  return GroupedExperts::apply(x, weights, w1, b1, w2, b2, indices, capacity);
}

}  // namespace requip::moe::detail

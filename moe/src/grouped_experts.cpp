#include "grouped_experts.hpp"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <vector>

#include "blas.hpp"
#include "parallel_tasks.hpp"

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

// Each row of a (rows x width) matrix := bias.
void fill_rows(const float* bias, std::int64_t rows, std::int64_t width, float* out) {
  for (std::int64_t r = 0; r < rows; ++r)
    std::copy_n(bias, width, out + r * width);
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

void add_column_sums(const float* rows, std::int64_t n, std::int64_t width, std::int64_t stride,
                     float* sums) {
  for (std::int64_t r = 0; r < n; ++r)
    for (std::int64_t c = 0; c < width; ++c)
      sums[c] += rows[r * stride + c];
}

// A piece of one expert's work: slots [first, first + count) of the bucketed list when split
// by rows, or hidden units [first, first + count) when split by columns.
struct Piece {
  std::int64_t expert, first, count;
};

// Appends [first, first + total) of `expert` cut into pieces of at most `most`: pieces big
// enough for a GEMM to run at speed, and enough of them for the threads to share evenly
// however the gate spread the tokens. The cut depends on the shapes alone, not on the threads.
void cut_range(std::int64_t expert, std::int64_t first, std::int64_t total, std::int64_t most,
               std::vector<Piece>& pieces) {
  const std::int64_t parts = (total + most - 1) / most;
  for (std::int64_t p = 0; p < parts; ++p) {
    const std::int64_t from = total * p / parts, to = total * (p + 1) / parts;
    pieces.push_back({expert, first + from, to - from});
  }
}

constexpr std::int64_t rows_per_piece = 256;
constexpr std::int64_t hidden_per_piece = 128;

// Each expert's kept slots, segment[e] .. segment[e + 1), in pieces of rows.
std::vector<Piece> slot_pieces(const std::int64_t* segment, std::int64_t experts) {
  std::vector<Piece> pieces;
  for (std::int64_t e = 0; e < experts; ++e)
    cut_range(e, segment[e], segment[e + 1] - segment[e], rows_per_piece, pieces);
  return pieces;
}

// Each expert's hidden units 0 .. h, in pieces of columns.
std::vector<Piece> hidden_pieces(std::int64_t experts, std::int64_t h) {
  std::vector<Piece> pieces;
  for (std::int64_t e = 0; e < experts; ++e)
    cut_range(e, 0, h, hidden_per_piece, pieces);
  return pieces;
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
    const Buckets b = bucket_slots(indices, w1.size(0), capacity);
    const std::int64_t kept = b.slots.numel();
    auto inputs = torch::empty({kept, d}, x.options());   // each kept slot's token, for backward
    auto hidden = torch::empty({kept, h}, x.options());   // ReLU outputs, for backward
    auto outputs = torch::empty({kept, d}, x.options());  // unweighted expert outputs
    const std::int64_t* segment = b.segment.data_ptr<std::int64_t>();
    const std::int64_t* slots = b.slots.data_ptr<std::int64_t>();
    const std::vector<Piece> pieces = slot_pieces(segment, w1.size(0));
    run_tasks(std::ssize(pieces), 4 * kept * d * h, [&](std::int64_t i) {
      const auto [e, first, count] = pieces[static_cast<std::size_t>(i)];
      float* rows = inputs.data_ptr<float>() + first * d;
      float* hid = hidden.data_ptr<float>() + first * h;
      float* out = outputs.data_ptr<float>() + first * d;
      gather_rows(x.data_ptr<float>(), d, slots + first, count, top_k, rows);
      // Row-major (count x h) = bias + rows (count x d) . w1[e] (d x h), as column-major C^T.
      fill_rows(b1.data_ptr<float>() + e * h, count, h, hid);
      gemm(Transpose::no, Transpose::no, h, count, d, 1.0f, w1.data_ptr<float>() + e * d * h, h,
           rows, d, 1.0f, hid, h);
      for (std::int64_t j = 0; j < count * h; ++j)  // branch-free: signs are a coin toss
        hid[j] = hid[j] > 0.0f ? hid[j] : 0.0f;
      fill_rows(b2.data_ptr<float>() + e * d, count, d, out);
      gemm(Transpose::no, Transpose::no, d, count, h, 1.0f, w2.data_ptr<float>() + e * h * d, d,
           hid, h, 1.0f, out, d);
    });
    auto y = torch::empty({n, d}, x.options());
    const float* gate = weights.data_ptr<float>();
    combine_slots(
        outputs.data_ptr<float>(), b.position.data_ptr<std::int64_t>(), n, top_k, d,
        [gate](std::int64_t s) { return gate[s]; }, y.data_ptr<float>());
    context->save_for_backward(
        {inputs, weights, w1, w2, hidden, outputs, b.slots, b.segment, b.position});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list grads) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor &inputs = saved[0], &weights = saved[1], &w1 = saved[2], &w2 = saved[3];
    const torch::Tensor &hidden = saved[4], &outputs = saved[5];
    const std::int64_t* slots = saved[6].data_ptr<std::int64_t>();
    const std::int64_t* segment = saved[7].data_ptr<std::int64_t>();
    const std::int64_t* position = saved[8].data_ptr<std::int64_t>();
    const torch::Tensor grad_y = grads[0].contiguous();
    const std::int64_t n = weights.size(0), top_k = weights.size(1);
    const std::int64_t d = w1.size(1), h = w1.size(2), experts = w1.size(0);
    const std::int64_t kept = inputs.size(0);
    const float* dy = grad_y.data_ptr<float>();
    const float* gate = weights.data_ptr<float>();

    // By rows: each slot's output gradient, its gate weight's gradient, and back through both
    // layers to the slot's input. Dropped slots get no gradient.
    auto grad_weights = torch::zeros_like(weights);
    auto grad_out = torch::empty({kept, d}, inputs.options());     // gate weight * dy per slot
    auto grad_hidden = torch::empty({kept, h}, inputs.options());  // through the ReLU
    auto grad_slots = torch::empty({kept, d}, inputs.options());
    const std::vector<Piece> rows = slot_pieces(segment, experts);
    run_tasks(std::ssize(rows), 4 * kept * d * h, [&](std::int64_t i) {
      const auto [e, first, count] = rows[static_cast<std::size_t>(i)];
      float* g = grad_out.data_ptr<float>() + first * d;
      float* dw = grad_weights.data_ptr<float>();
      for (std::int64_t r = 0; r < count; ++r) {
        const std::int64_t s = slots[first + r];
        const float* from = dy + (s / top_k) * d;
        const float* o = outputs.data_ptr<float>() + (first + r) * d;
        const float w = gate[s];
        float dot = 0.0f;
        for (std::int64_t c = 0; c < d; ++c) {
          dot += from[c] * o[c];
          g[r * d + c] = w * from[c];
        }
        dw[s] = dot;
      }
      const float* hid = hidden.data_ptr<float>() + first * h;
      float* dh = grad_hidden.data_ptr<float>() + first * h;
      gemm(Transpose::yes, Transpose::no, h, count, d, 1.0f, w2.data_ptr<float>() + e * h * d, d, g,
           d, 0.0f, dh, h);
      for (std::int64_t j = 0; j < count * h; ++j)
        dh[j] = hid[j] > 0.0f ? dh[j] : 0.0f;
      gemm(Transpose::yes, Transpose::no, d, count, h, 1.0f, w1.data_ptr<float>() + e * d * h, h,
           dh, h, 0.0f, grad_slots.data_ptr<float>() + first * d, d);
    });

    // By hidden units: the weight gradients, each a sum over the expert's slots, so that no
    // two pieces write the same element.
    auto grad_w1 = torch::empty_like(w1), grad_b1 = torch::zeros({experts, h}, inputs.options());
    auto grad_w2 = torch::empty_like(w2), grad_b2 = torch::zeros({experts, d}, inputs.options());
    const std::vector<Piece> columns = hidden_pieces(experts, h);
    run_tasks(std::ssize(columns), 4 * kept * d * h, [&](std::int64_t i) {
      const auto [e, first, count] = columns[static_cast<std::size_t>(i)];
      const std::int64_t slot = segment[e], served = segment[e + 1] - slot;
      float* dw1 = grad_w1.data_ptr<float>() + e * d * h + first;
      float* dw2 = grad_w2.data_ptr<float>() + e * h * d + first * d;
      const float* g = grad_out.data_ptr<float>() + slot * d;
      const float* dh = grad_hidden.data_ptr<float>() + slot * h + first;
      // dw2[first .. first + count) (count x d) = hid[:, first ..]^T grad_out.
      gemm(Transpose::no, Transpose::yes, d, count, served, 1.0f, g, d,
           hidden.data_ptr<float>() + slot * h + first, h, 0.0f, dw2, d);
      // dw1[:, first .. first + count) (d x count) = rows^T d hidden[:, first ..].
      gemm(Transpose::no, Transpose::yes, count, d, served, 1.0f, dh, h,
           inputs.data_ptr<float>() + slot * d, d, 0.0f, dw1, h);
      add_column_sums(dh, served, count, h, grad_b1.data_ptr<float>() + e * h + first);
      if (first == 0) add_column_sums(g, served, d, d, grad_b2.data_ptr<float>() + e * d);
    });

    auto grad_x = torch::empty({n, d}, inputs.options());
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

#pragma once

#include <cstdint>
#include <vector>

namespace requip::router::detail {

// A batch of texts as an EmbeddingBag takes them, as plain arrays.
struct BagsView {
  const std::int64_t* ids = nullptr;  // (total) table rows, one per n-gram occurrence
  const float* weights = nullptr;     // (total) each occurrence's weight in its sum
  std::size_t total = 0;
  const std::int64_t* offsets = nullptr;  // (B) where each text starts in ids
  std::size_t count = 0;                  // B
};

// Row-wise Adagrad for a table that is only read through weighted bag sums: a bag's gradient
// reaches only its own rows, so a step reads and moves those rows and nothing else, with one
// accumulator per row (the mean of its squared gradient). Torch's dense gradient of even the
// batch's rows costs several megabyte-sized temporaries per step, which is most of training.
class SparseRowAdagrad {
 public:
  SparseRowAdagrad(std::size_t rows, int width);

  // table (V, W) and square (V) move; bag_gradients (B, W) is the loss's gradient with respect
  // to each bag's sum.
  void step(float* table, float* square, const BagsView& bags, const float* bag_gradients,
            double learning_rate);

 private:
  int width_;
  std::vector<std::int32_t> slot_of_row_;  // (V) -1 unless the row is in this step
  std::vector<std::int64_t> rows_;         // (U) rows of this step, in slot order
  std::vector<float> gradients_;           // (U, W) their gradients
};

}  // namespace requip::router::detail

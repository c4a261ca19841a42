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
  explicit SparseRowAdagrad(int width);

  // table (V, W) and square (V) move; bag_gradients (B, W) is the loss's gradient with respect
  // to each bag's sum.
  void step(float* table, float* square, const BagsView& bags, const float* bag_gradients,
            double learning_rate);

 private:
  // The slot of a row in this step: open addressing over a few times U entries, which stays
  // in cache where a (V) array of slots would miss on most lookups.
  std::int32_t& slot_of(std::int64_t row);

  int width_;
  std::vector<std::int64_t> keys_;   // (capacity) rows, -1 where free
  std::vector<std::int32_t> slots_;  // (capacity)
  std::vector<std::int64_t> rows_;   // (U) rows of this step, in slot order
  std::vector<float> gradients_;     // (U, W) their gradients
};

}  // namespace requip::router::detail

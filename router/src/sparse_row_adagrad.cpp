#include "sparse_row_adagrad.hpp"

#include <algorithm>
#include <cmath>

namespace requip::router::detail {

SparseRowAdagrad::SparseRowAdagrad(std::size_t rows, int width)
    : width_(width), slot_of_row_(rows, -1) {}

void SparseRowAdagrad::step(float* table, float* square, const BagsView& bags,
                            const float* bag_gradients, double learning_rate) {
  const auto width = static_cast<std::size_t>(width_);
  rows_.clear();
  gradients_.clear();
  // d sum_b / d row = the occurrence's weight, for every occurrence of the row in bag b.
  for (std::size_t bag = 0; bag < bags.count; ++bag) {
    const auto begin = static_cast<std::size_t>(bags.offsets[bag]);
    const auto end =
        bag + 1 < bags.count ? static_cast<std::size_t>(bags.offsets[bag + 1]) : bags.total;
    const float* __restrict upstream = bag_gradients + bag * width;
    for (std::size_t j = begin; j < end; ++j) {
      auto& slot = slot_of_row_[static_cast<std::size_t>(bags.ids[j])];
      if (slot < 0) {
        slot = static_cast<std::int32_t>(rows_.size());
        rows_.push_back(bags.ids[j]);
        gradients_.resize(gradients_.size() + width, 0.0f);
      }
      float* __restrict gradient = gradients_.data() + static_cast<std::size_t>(slot) * width;
      const float weight = bags.weights[j];
      for (std::size_t k = 0; k < width; ++k)
        gradient[k] += weight * upstream[k];
    }
  }
  for (std::size_t slot = 0; slot < rows_.size(); ++slot) {
    const auto row = static_cast<std::size_t>(rows_[slot]);
    const float* __restrict gradient = gradients_.data() + slot * width;
    float squares = 0;
    for (std::size_t k = 0; k < width; ++k)
      squares += gradient[k] * gradient[k];
    square[row] += squares / static_cast<float>(width);
    const auto rate = static_cast<float>(learning_rate / (std::sqrt(square[row]) + 1e-10));
    float* __restrict values = table + row * width;
    for (std::size_t k = 0; k < width; ++k)
      values[k] -= rate * gradient[k];
    slot_of_row_[row] = -1;
  }
}

}  // namespace requip::router::detail

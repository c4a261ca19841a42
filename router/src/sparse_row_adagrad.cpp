#include "sparse_row_adagrad.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "prefetch.hpp"

namespace requip::router::detail {

namespace {

// Eight independent partial sums, which the compiler may vectorise: one running sum would
// have to be added up in order.
float sum_of_squares(const float* values, std::size_t count) {
  constexpr std::size_t lanes = 8;
  float partial[lanes] = {};
  std::size_t k = 0;
  for (; k + lanes <= count; k += lanes) {
    for (std::size_t lane = 0; lane < lanes; ++lane)
      partial[lane] += values[k + lane] * values[k + lane];
  }
  for (; k < count; ++k)
    partial[0] += values[k] * values[k];
  float total = 0;
  for (float value : partial)
    total += value;
  return total;
}

}  // namespace

SparseRowAdagrad::SparseRowAdagrad(int width) : width_(width) {}

std::int32_t& SparseRowAdagrad::slot_of(std::int64_t row) {
  const std::size_t mask = keys_.size() - 1;
  // Fibonacci hashing spreads nearby bucket ids over the whole table.
  std::size_t at =
      static_cast<std::size_t>(static_cast<std::uint64_t>(row) * 0x9e3779b97f4a7c15ull) & mask;
  while (keys_[at] != row && keys_[at] >= 0)
    at = (at + 1) & mask;
  if (keys_[at] < 0) {
    keys_[at] = row;
    slots_[at] = -1;
  }
  return slots_[at];
}

void SparseRowAdagrad::step(float* table, float* square, const BagsView& bags,
                            const float* bag_gradients, double learning_rate) {
  const auto width = static_cast<std::size_t>(width_);
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, 2 * bags.total));
  keys_.assign(capacity, -1);
  slots_.resize(capacity);
  rows_.clear();
  gradients_.clear();
  // d sum_b / d row = the occurrence's weight, for every occurrence of the row in bag b.
  for (std::size_t bag = 0; bag < bags.count; ++bag) {
    const auto begin = static_cast<std::size_t>(bags.offsets[bag]);
    const auto end =
        bag + 1 < bags.count ? static_cast<std::size_t>(bags.offsets[bag + 1]) : bags.total;
    const float* __restrict upstream = bag_gradients + bag * width;
    for (std::size_t j = begin; j < end; ++j) {
      const std::int64_t row = bags.ids[j];
      auto& slot = slot_of(row);
      if (slot < 0) {
        slot = static_cast<std::int32_t>(rows_.size());
        rows_.push_back(row);
        gradients_.resize(gradients_.size() + width, 0.0f);
        prefetch(table + static_cast<std::size_t>(row) * width, width);
        prefetch(square + row, 1);
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
    square[row] += sum_of_squares(gradient, width) / static_cast<float>(width);
    const auto rate = static_cast<float>(learning_rate / (std::sqrt(square[row]) + 1e-10));
    float* __restrict values = table + row * width;
    for (std::size_t k = 0; k < width; ++k)
      values[k] -= rate * gradient[k];
  }
}

}  // namespace requip::router::detail

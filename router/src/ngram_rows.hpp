#pragma once

#include <cstdint>
#include <vector>

namespace requip::router::detail {

// The gate's vocabulary: the table row of each n-gram hash it has learned from, rows numbered
// in the order the n-grams were first met. Open addressing over a power-of-two array of at
// most half-full slots, so a lookup on the routing path is one or two cache lines.
class NgramRows {
 public:
  static constexpr std::int32_t absent = -1;

  std::int32_t find(std::uint64_t ngram) const;
  // The n-gram's row, a new one (numbered size() before the call) if it had none.
  std::int32_t insert(std::uint64_t ngram);

  std::int32_t size() const { return static_cast<std::int32_t>(ngrams_.size()); }
  // Every n-gram, by row.
  const std::vector<std::uint64_t>& ngrams() const { return ngrams_; }
  void clear();

 private:
  std::size_t slot_of(std::uint64_t ngram) const;
  void rehash(std::size_t capacity);

  std::vector<std::uint64_t> keys_;  // (capacity) the n-gram in each slot
  std::vector<std::int32_t> rows_;   // (capacity) its row, absent where the slot is free
  std::vector<std::uint64_t> ngrams_;
};

}  // namespace requip::router::detail

#include "ngram_rows.hpp"

#include <algorithm>

namespace requip::router::detail {

namespace {
constexpr std::size_t smallest_capacity = 64;
}  // namespace

std::size_t NgramRows::slot_of(std::uint64_t ngram) const {
  const std::size_t mask = keys_.size() - 1;
  // FNV hashes mix their low bits poorly for short inputs; Fibonacci hashing spreads them.
  std::size_t at = static_cast<std::size_t>((ngram * 0x9e3779b97f4a7c15ull) >> 20) & mask;
  while (rows_[at] != absent && keys_[at] != ngram)
    at = (at + 1) & mask;
  return at;
}

std::int32_t NgramRows::find(std::uint64_t ngram) const {
  if (keys_.empty()) return absent;
  return rows_[slot_of(ngram)];
}

std::int32_t NgramRows::insert(std::uint64_t ngram) {
  if (2 * (ngrams_.size() + 1) > keys_.size())
    rehash(std::max(smallest_capacity, 2 * keys_.size()));
  const std::size_t at = slot_of(ngram);
  if (rows_[at] == absent) {
    keys_[at] = ngram;
    rows_[at] = size();
    ngrams_.push_back(ngram);
  }
  return rows_[at];
}

void NgramRows::rehash(std::size_t capacity) {
  keys_.assign(capacity, 0);
  rows_.assign(capacity, absent);
  for (std::size_t row = 0; row < ngrams_.size(); ++row) {
    const std::size_t at = slot_of(ngrams_[row]);
    keys_[at] = ngrams_[row];
    rows_[at] = static_cast<std::int32_t>(row);
  }
}

void NgramRows::clear() {
  keys_.clear();
  rows_.clear();
  ngrams_.clear();
}

}  // namespace requip::router::detail

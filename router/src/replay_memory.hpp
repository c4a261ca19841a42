#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace requip::router::detail {

// The most recent confirmed examples, a few of which are replayed with each online step: one
// example per step forgets what earlier steps taught, and a cold start learns from a handful.
// Texts are kept rather than their weights, which change as the n-gram counts do.
class ReplayMemory {
 public:
  struct Entry {
    std::string text;
    int expert = 0;
  };

  ReplayMemory(std::size_t capacity, std::uint64_t seed);

  // Keeps the example, in place of the oldest once the memory is full.
  void remember(std::string_view text, int expert);
  // Up to `count` entries drawn uniformly, with replacement.
  std::vector<const Entry*> draw(std::size_t count);
  std::size_t size() const { return entries_.size(); }

 private:
  std::size_t capacity_;
  std::size_t oldest_ = 0;
  std::vector<Entry> entries_;
  std::mt19937_64 random_;
};

}  // namespace requip::router::detail

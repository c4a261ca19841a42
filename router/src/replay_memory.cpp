#include "replay_memory.hpp"

#include <algorithm>

namespace requip::router::detail {

ReplayMemory::ReplayMemory(std::size_t capacity, std::uint64_t seed)
    : capacity_(capacity), random_(seed) {}

void ReplayMemory::remember(std::string_view text, int expert) {
  if (capacity_ == 0) return;
  if (entries_.size() < capacity_) {
    entries_.push_back({std::string(text), expert});
    return;
  }
  entries_[oldest_] = {std::string(text), expert};
  oldest_ = (oldest_ + 1) % capacity_;
}

std::vector<const ReplayMemory::Entry*> ReplayMemory::draw(std::size_t count) {
  std::vector<const Entry*> drawn;
  if (entries_.empty()) return drawn;
  std::uniform_int_distribution<std::size_t> pick(0, entries_.size() - 1);
  for (std::size_t i = 0; i < std::min(count, entries_.size()); ++i)
    drawn.push_back(&entries_[pick(random_)]);
  return drawn;
}

}  // namespace requip::router::detail

#pragma once

#include <ATen/Parallel.h>

#include <atomic>
#include <cstdint>

namespace requip::moe::detail {

// Below this many multiply-adds a fork and join of the thread team costs more than the work,
// as for one generated character.
constexpr std::int64_t worth_a_fork = 1 << 18;

// The grain for at::parallel_for over `items` of about `flops_per_item` each: 1 (one item per
// task) when there is enough work to share, all of them (run on the calling thread) otherwise.
inline std::int64_t task_grain(std::int64_t items, std::int64_t flops_per_item) {
  return items * flops_per_item < worth_a_fork ? items + 1 : 1;
}

// Runs task(i) for every i in [0, count) on torch's intra-op threads, each thread taking the
// next task nobody has taken. Tasks of uneven size (experts with more tokens than others) then
// end together, where a static split leaves one thread waiting on the other's bigger share.
// Which thread runs a task never changes what it computes.
template <typename Task>
void run_tasks(std::int64_t count, std::int64_t total_flops, const Task& task) {
  if (count == 0) return;
  if (total_flops < worth_a_fork || count == 1) {
    for (std::int64_t i = 0; i < count; ++i)
      task(i);
    return;
  }
  std::atomic<std::int64_t> next{0};
  at::parallel_for(0, at::get_num_threads(), 1, [&](std::int64_t, std::int64_t) {
    for (std::int64_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;)
      task(i);
  });
}

}  // namespace requip::moe::detail

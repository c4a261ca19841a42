#pragma once

#include <cstdint>

namespace requip::moe::detail {

// The grain for at::parallel_for over `items` of about `flops_per_item` each: 1 (one item per
// task) when there is enough work to share, all of them (run on the calling thread) when a fork
// and join would cost more than the work, as for one generated character.
inline std::int64_t task_grain(std::int64_t items, std::int64_t flops_per_item) {
  constexpr std::int64_t worth_a_fork = 1 << 18;
  return items * flops_per_item < worth_a_fork ? items + 1 : 1;
}

}  // namespace requip::moe::detail

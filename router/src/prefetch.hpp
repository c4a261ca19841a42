#pragma once

#include <cstddef>

namespace requip::router::detail {

// Asks for the cache lines of a table row ahead of use. The n-gram tables are tens to hundreds
// of megabytes, read a scattered row at a time: asking for all of a step's rows first overlaps
// the waits that reading them in turn would add up.
inline void prefetch(const float* row, std::size_t width) {
#if defined(__GNUC__)
  constexpr std::size_t floats_per_line = 16;
  for (std::size_t k = 0; k < width; k += floats_per_line)
    __builtin_prefetch(row + k);
#else
  (void)row;
  (void)width;
#endif
}

}  // namespace requip::router::detail

#pragma once

#include <chrono>

namespace requip::cli {

// Seconds spent in fn().
template <typename Fn>
double seconds_in(Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace requip::cli

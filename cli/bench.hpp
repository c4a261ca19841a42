#pragma once

#include <chrono>

namespace CLI {
class App;
}

namespace requip::cli {

// Each benchmark is a subcommand of `requip bench`, in a file of its own.
void add_bench_brain(CLI::App& bench);
void add_bench_plugins(CLI::App& bench);
void add_bench_memory(CLI::App& bench);
void add_bench_lm(CLI::App& bench);
void add_bench_moe(CLI::App& bench);
void add_bench_serve(CLI::App& bench);
void add_bench_distributed(CLI::App& bench);

// Seconds spent in fn().
template <typename Fn>
double seconds_in(Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace requip::cli

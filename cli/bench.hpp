#pragma once

#include "stopwatch.hpp"

namespace CLI {
class App;
}

namespace requip::cli {

// Each benchmark is a subcommand of `requip bench`, in a file of its own. Those of the MoE
// language model are requip-moe's (moe/tools/), and `requip bench` forwards to them.
void add_bench_brain(CLI::App& bench);
void add_bench_plugins(CLI::App& bench);
void add_bench_memory(CLI::App& bench);
void add_bench_serve(CLI::App& bench);
void add_bench_start(CLI::App& bench);

}  // namespace requip::cli

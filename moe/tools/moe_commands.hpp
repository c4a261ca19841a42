#pragma once

namespace CLI {
class App;
}

namespace requip::cli {

// The subcommands of requip-moe, each in its own file.
void add_train_command(CLI::App& app);
void add_sample_command(CLI::App& app);
void add_moe_command(CLI::App& app);
void add_bench_moe(CLI::App& bench);
void add_bench_lm(CLI::App& bench);
void add_bench_distributed(CLI::App& bench);

}  // namespace requip::cli

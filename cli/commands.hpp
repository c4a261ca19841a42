#pragma once

namespace CLI {
class App;
}

namespace requip::cli {

struct GlobalOptions;

// Each subcommand lives in its own file and registers itself on the app through one of these.
// Commands that open the database read its path from `options` when they run.
void add_chat_command(CLI::App& app, const GlobalOptions& options);
void add_memory_command(CLI::App& app, const GlobalOptions& options);
void add_serve_command(CLI::App& app, const GlobalOptions& options);
// Returns the `bench` subcommand, which the language model's benchmarks join.
CLI::App& add_bench_command(CLI::App& app);
void add_plugins_command(CLI::App& app);
void add_eval_command(CLI::App& app);
// train, sample, moe and bench moe|lm|distributed, run by requip-moe.
void add_moe_tool_commands(CLI::App& app, CLI::App& bench);

}  // namespace requip::cli

#pragma once

namespace CLI {
class App;
}

namespace requip::cli {

// Each subcommand lives in its own file and registers itself on the app through one of these.
void add_chat_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_eval_command(CLI::App& app);

}  // namespace requip::cli

#pragma once

#include <string>

namespace CLI {
class App;
}

namespace requip::cli {

// What the requip programs share around their subcommands: logs and errors on stderr (stdout
// carries replies and data), a --log-level for the program and the libraries, and one line on
// stderr for an error. Returns the exit status.
void add_log_level_option(CLI::App& app);
int run_program(CLI::App& app, int argc, char** argv);

}  // namespace requip::cli

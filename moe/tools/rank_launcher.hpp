#pragma once

#include <string>
#include <vector>

namespace requip::cli {

// Runs `command` (a requip command line, argv[0] first) `ranks` times on this machine as ranks
// 0..N-1 of one distributed run meeting on a free port of 127.0.0.1. Each rank's output lines
// come through prefixed with "[rank R] ". If a rank fails, the others are stopped and the
// launch fails. Returns the exit code for the whole run.
int launch_local_ranks(int ranks, const std::vector<std::string>& command);

// This process's own command line without `--nproc N`: what `requip train --nproc N` runs.
std::vector<std::string> command_line_without_nproc();

}  // namespace requip::cli

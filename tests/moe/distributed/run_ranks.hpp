#pragma once

#include <string>
#include <vector>

#include "subprocess.hpp"

namespace requip::test {

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Runs `argv` once per rank, all at once, as ranks 0..world-1 of one run meeting on 127.0.0.1
// at a free port; returns each rank's result once all have ended.
std::vector<ProcessResult> run_ranks(const std::vector<std::string>& argv, int world);

// The rank worker of this build (see rank_worker.cpp) with arguments.
std::vector<std::string> rank_worker(std::vector<std::string> arguments);

}  // namespace requip::test

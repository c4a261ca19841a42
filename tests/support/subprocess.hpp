#pragma once

#include <map>
#include <string>
#include <vector>

namespace requip::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs a program to completion with the given standard input and extra environment,
// capturing both output streams. Standard input is a pipe, never a terminal.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
                          const std::map<std::string, std::string>& environment = {});

// In a forked child: becomes the program argv[0] run with argv, or exits with 127.
[[noreturn]] void exec_child(const std::vector<std::string>& argv);

// The path of the `requip` binary of this build.
std::string requip_binary();

// The `requip` binary of this build, with arguments.
ProcessResult run_requip(const std::vector<std::string>& arguments, const std::string& input = {},
                         const std::map<std::string, std::string>& environment = {});

}  // namespace requip::test

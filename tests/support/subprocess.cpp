#include "subprocess.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "temp_dir.hpp"

namespace requip::test {

namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

// Files rather than pipes for the streams: nothing can deadlock on a full pipe, whatever the
// child prints.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& environment) {
  TempDir scratch;
  const auto in_path = scratch / "stdin", out_path = scratch / "stdout",
             err_path = scratch / "stderr";
  std::ofstream(in_path, std::ios::binary) << input;

  // freopen in the child flushes what this process has buffered for stdout: once here, or the
  // child prints it a second time.
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    if (!std::freopen(in_path.c_str(), "rb", stdin) ||
        !std::freopen(out_path.c_str(), "wb", stdout) ||
        !std::freopen(err_path.c_str(), "wb", stderr)) {
      ::_exit(126);
    }
    for (const auto& [name, value] : environment)
      ::setenv(name.c_str(), value.c_str(), 1);
    exec_child(argv);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_all(out_path);
  result.err = read_all(err_path);
  return result;
}

void exec_child(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

std::string requip_binary() {
  return REQUIP_BINARY;
}

ProcessResult run_requip(const std::vector<std::string>& arguments, const std::string& input,
                         const std::map<std::string, std::string>& environment) {
  std::vector<std::string> argv{requip_binary()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, input, environment);
}

}  // namespace requip::test

#pragma once

#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

namespace requip::test {

// A program running beside the test, its standard output read line by line through a pipe.
// Killed and reaped when destroyed, so no test leaves a process behind.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // The next line of output without its newline; nothing at end of output. A last line
  // without a newline (the child died mid-write) is dropped.
  std::optional<std::string> read_line();
  // SIGKILL, then waits for the child to end.
  void kill_now();
  // Sends `signal` and waits for the child to end: its exit code, or 128 + the signal that
  // ended it.
  int stop(int signal);

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

}  // namespace requip::test

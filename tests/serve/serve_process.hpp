#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace requip::test {

// `requip serve --port 0` running beside the test, with its own data folder and database.
class ServeProcess {
 public:
  // With `database`, the server uses that file instead of one of its own: a restart.
  explicit ServeProcess(const std::vector<std::string>& extra_arguments = {},
                        const std::filesystem::path& database = {});

  std::uint16_t port() const { return port_; }
  const TempDir& home() const { return home_; }
  // SIGTERM, then the exit code.
  int terminate() { return process_->stop(SIGTERM_NUMBER); }
  // SIGKILL, as a crash or a lost machine would end it.
  void crash() { process_->kill_now(); }
  // What the server printed after its listening line, up to its end.
  std::string rest_of_output();

 private:
  static constexpr int SIGTERM_NUMBER = 15;

  TempDir home_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace requip::test

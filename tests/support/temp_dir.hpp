#pragma once

#include <sys/types.h>

#include <filesystem>

namespace requip::test {

// A fresh directory under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
  pid_t owner_ = -1;  // the process that made it, the only one that removes it
};

}  // namespace requip::test

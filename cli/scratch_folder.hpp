#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string_view>

namespace requip::cli {

// A folder of the benchmarks' own under the temporary directory, removed with what is in it.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::string_view purpose)
      : path_(std::filesystem::temp_directory_path() /
              fmt::format("requip-{}-{}", purpose, ::getpid())) {
    std::filesystem::create_directories(path_);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace requip::cli

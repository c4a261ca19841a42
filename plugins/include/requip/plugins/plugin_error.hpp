#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace requip::plugins {

// Why a plugin file was refused or failed: what() is one line naming the file and the reason.
class PluginError : public std::runtime_error {
 public:
  PluginError(const std::filesystem::path& file, const std::string& reason)
      : std::runtime_error("plugin " + file.string() + ": " + reason),
        file_(file),
        reason_(reason) {}

  const std::filesystem::path& file() const { return file_; }
  const std::string& reason() const { return reason_; }

 private:
  std::filesystem::path file_;
  std::string reason_;
};

}  // namespace requip::plugins

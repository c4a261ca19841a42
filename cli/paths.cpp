#include "paths.hpp"

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace requip::cli {

std::filesystem::path data_home() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::filesystem::path(xdg) / "requip";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::filesystem::path(home) / ".local" / "share" / "requip";
  }
  return std::filesystem::current_path() / ".requip";
}

std::filesystem::path vendored_data(const std::filesystem::path& name) {
  std::vector<std::filesystem::path> folders;
  if (const char* dir = std::getenv("REQUIP_DATA_DIR"); dir != nullptr && *dir != '\0') {
    folders.emplace_back(dir);
  }
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) folders.push_back(binary.parent_path().parent_path() / "share" / "requip");
  folders.emplace_back(REQUIP_SOURCE_DATA_DIR);
  for (const auto& folder : folders) {
    if (std::filesystem::is_regular_file(folder / name, error)) return folder / name;
  }
  return {};
}

std::filesystem::path required_vendored_data(const std::filesystem::path& name,
                                             std::string_view fix) {
  std::filesystem::path found = vendored_data(name);
  if (found.empty())
    throw std::runtime_error(
        fmt::format("the vendored data/{} was not found; {}", name.string(), fix));
  return found;
}

}  // namespace requip::cli

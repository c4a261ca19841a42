#include "paths.hpp"

#include <cstdlib>

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

}  // namespace requip::cli

#include "temp_dir.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <system_error>

namespace requip::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "requip-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  owner_ = ::getpid();
}

TempDir::~TempDir() {
  // A forked copy of the test that exits must not take its parent's folder with it.
  if (::getpid() != owner_) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace requip::test

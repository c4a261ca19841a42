#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace requip::test {

// The whole content of a file, to prove that a refused file was not changed.
inline std::string file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace requip::test

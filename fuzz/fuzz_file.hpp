#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace requip::fuzz {

// The loaders under test read files; each input becomes one, named per process so that
// parallel fuzzing jobs never share it.
inline std::filesystem::path input_file(const std::uint8_t* data, std::size_t size,
                                        const std::string& suffix) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("requip_fuzz_" + std::to_string(::getpid()) + suffix);
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return file;
}

}  // namespace requip::fuzz

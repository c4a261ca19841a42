#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "requip/moe/lm_config.hpp"

namespace requip::test {

// A model small enough for a test to train in seconds, even under the sanitizers.
inline moe::LmConfig tiny_lm_config(std::int64_t vocab_size) {
  moe::LmConfig config;
  config.vocab_size = vocab_size;
  config.block_size = 16;
  config.n_head = 2;
  config.n_layer = 2;
  config.moe = {.d_model = 32, .d_hidden = 32, .experts = 4, .top_k = 2};
  return config;
}

// The vendored tiny Shakespeare of this source tree.
inline std::filesystem::path shakespeare() {
  return std::filesystem::path(REQUIP_SOURCE_DATA_DIR) / "tinyshakespeare.txt";
}

inline void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

}  // namespace requip::test

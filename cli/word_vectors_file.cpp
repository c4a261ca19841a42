#include "word_vectors_file.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "paths.hpp"

namespace requip::cli {

namespace {
constexpr const char* vendored_file = "word_vectors.bin";
}  // namespace

std::shared_ptr<const router::WordVectors> word_vectors_from(const std::string& choice) {
  if (choice == "none") return nullptr;
  if (!choice.empty()) return router::WordVectors::load(choice);
  return router::WordVectors::load(required_vendored_data(
      vendored_file, "set REQUIP_DATA_DIR to the folder holding it, or pass --word-vectors none"));
}

std::shared_ptr<const router::WordVectors> vendored_word_vectors_or_none() {
  static const auto vectors = []() -> std::shared_ptr<const router::WordVectors> {
    try {
      return router::WordVectors::load(
          required_vendored_data(vendored_file, "set REQUIP_DATA_DIR to the folder holding it"));
    } catch (const std::runtime_error& error) {
      spdlog::warn("{}; the router reads n-grams only", error.what());
      return nullptr;
    }
  }();
  return vectors;
}

}  // namespace requip::cli

#include "word_vectors_file.hpp"

#include "paths.hpp"

namespace requip::cli {

std::shared_ptr<const router::WordVectors> word_vectors_from(const std::string& choice) {
  if (choice == "none") return nullptr;
  if (!choice.empty()) return router::WordVectors::load(choice);
  return router::WordVectors::load(
      required_vendored_data("word_vectors.bin",
                             "set REQUIP_DATA_DIR to the folder holding it, or pass "
                             "--word-vectors none"));
}

}  // namespace requip::cli

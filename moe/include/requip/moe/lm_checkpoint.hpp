#pragma once

#include <filesystem>

#include "requip/moe/char_corpus.hpp"
#include "requip/moe/language_model.hpp"

namespace requip::moe {

// A trained model as saved: weights, the JSON config that shapes them, and the vocabulary.
struct LmCheckpoint {
  LanguageModel model{nullptr};
  CharVocab vocab{{}};
};

// One file (a tensor pack): the entry "config" holds the JSON of the LmConfig and the
// vocabulary, then one entry per parameter and buffer. `weights` is the element type the
// floating-point tensors are stored in: float16 or bfloat16 halve the file of a model that
// ships with a program, and loading widens them back to the model's float32.
void save_checkpoint(const std::filesystem::path& file, LanguageModel& model,
                     const CharVocab& vocab, torch::ScalarType weights = torch::kFloat32);

// Throws std::runtime_error with one line naming the file and the fix when it is missing,
// truncated, not a checkpoint, or holds weights that do not match its own config. Weights
// stored in a narrower floating-point type are widened.
LmCheckpoint load_checkpoint(const std::filesystem::path& file);

}  // namespace requip::moe

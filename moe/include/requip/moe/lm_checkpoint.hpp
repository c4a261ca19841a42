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

// One file (a LibTorch archive): the entry "config" holds the JSON of the LmConfig and the
// vocabulary, then one entry per parameter and buffer.
void save_checkpoint(const std::filesystem::path& file, LanguageModel& model,
                     const CharVocab& vocab);

// Throws std::runtime_error with one line naming the file and the fix when it is missing,
// truncated, not a checkpoint, or holds weights that do not match its own config.
LmCheckpoint load_checkpoint(const std::filesystem::path& file);

}  // namespace requip::moe

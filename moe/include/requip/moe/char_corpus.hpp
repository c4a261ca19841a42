#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <torch/types.h>

namespace requip::moe {

// A character-level (byte-level) vocabulary: the sorted distinct bytes of a text.
class CharVocab {
 public:
  explicit CharVocab(std::vector<std::uint8_t> symbols);
  static CharVocab of_text(std::string_view text);

  std::int64_t size() const { return static_cast<std::int64_t>(symbols_.size()); }
  const std::vector<std::uint8_t>& symbols() const { return symbols_; }
  bool contains(char c) const { return id_of_[static_cast<std::uint8_t>(c)] >= 0; }
  // Throws std::invalid_argument naming the first character outside the vocabulary.
  std::vector<std::int64_t> encode(std::string_view text) const;
  std::string decode(const std::vector<std::int64_t>& ids) const;

 private:
  std::vector<std::uint8_t> symbols_;
  std::array<std::int16_t, 256> id_of_{};
};

// A text file split 90/10 into training and validation ids, with random batches of windows.
class CharCorpus {
 public:
  // Throws std::runtime_error with a one-line reason when the file is missing or too short for
  // `block_size` windows in both splits.
  CharCorpus(const std::filesystem::path& file, std::int64_t block_size);

  const CharVocab& vocab() const { return vocab_; }
  const torch::Tensor& train() const { return train_; }  // (N_train,) int64
  const torch::Tensor& val() const { return val_; }      // (N_val,) int64
  std::int64_t block_size() const { return block_size_; }

  // Inputs and next-character targets, both (batch, block_size), drawn with `generator` or
  // else torch's default one.
  std::pair<torch::Tensor, torch::Tensor> batch(
      const torch::Tensor& split, std::int64_t batch_size,
      c10::optional<at::Generator> generator = c10::nullopt) const;
  // Entropy in nats of the characters' unigram distribution over the whole text: the loss of
  // a model that ignores context.
  double unigram_entropy() const;

 private:
  CharCorpus(const std::filesystem::path& file, const std::string& text, std::int64_t block_size);

  CharVocab vocab_;
  torch::Tensor train_;
  torch::Tensor val_;
  std::int64_t block_size_;
};

}  // namespace requip::moe

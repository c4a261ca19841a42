#include "requip/moe/char_corpus.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace requip::moe {

CharVocab::CharVocab(std::vector<std::uint8_t> symbols) : symbols_(std::move(symbols)) {
  id_of_.fill(-1);
  for (std::size_t i = 0; i < symbols_.size(); ++i)
    id_of_[symbols_[i]] = static_cast<int16_t>(i);
}

CharVocab CharVocab::of_text(std::string_view text) {
  std::array<bool, 256> seen{};
  for (char c : text)
    seen[static_cast<std::uint8_t>(c)] = true;
  std::vector<std::uint8_t> symbols;
  for (int byte = 0; byte < 256; ++byte) {
    if (seen[static_cast<std::size_t>(byte)]) symbols.push_back(static_cast<std::uint8_t>(byte));
  }
  return CharVocab(std::move(symbols));
}

std::vector<std::int64_t> CharVocab::encode(std::string_view text) const {
  std::vector<std::int64_t> ids;
  ids.reserve(text.size());
  for (char c : text) {
    const int id = id_of_[static_cast<std::uint8_t>(c)];
    if (id < 0) {
      throw std::invalid_argument(
          fmt::format("character {:?} (byte {}) is not in the model's vocabulary of {} characters",
                      c, static_cast<int>(static_cast<std::uint8_t>(c)), symbols_.size()));
    }
    ids.push_back(id);
  }
  return ids;
}

std::string CharVocab::decode(const std::vector<std::int64_t>& ids) const {
  std::string text;
  text.reserve(ids.size());
  for (std::int64_t id : ids)
    text.push_back(static_cast<char>(symbols_.at(static_cast<size_t>(id))));
  return text;
}

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    throw std::runtime_error(
        fmt::format("cannot read data file {}; pass --data with a text file", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

CharCorpus::CharCorpus(const std::filesystem::path& file, std::int64_t block_size)
    : CharCorpus(file, read_text(file), block_size) {}

CharCorpus::CharCorpus(const std::filesystem::path& file, const std::string& text,
                       std::int64_t block_size)
    : vocab_(CharVocab::of_text(text)), block_size_(block_size) {
  const std::int64_t length = static_cast<std::int64_t>(text.size());
  const std::int64_t split = length * 9 / 10;
  // Each split needs at least one window of block_size inputs plus the next character.
  if (split <= block_size || length - split <= block_size) {
    throw std::runtime_error(fmt::format(
        "data file {} has {} characters, too few for {}-character windows in a 90/10 split; use a "
        "longer text or a smaller --block",
        file.string(), length, block_size));
  }
  const torch::Tensor ids = torch::tensor(vocab_.encode(text), torch::kInt64);
  train_ = ids.slice(0, 0, split);
  val_ = ids.slice(0, split);
}

std::pair<torch::Tensor, torch::Tensor> CharCorpus::batch(
    const torch::Tensor& split, std::int64_t batch_size,
    c10::optional<at::Generator> generator) const {
  const std::int64_t starts = split.size(0) - block_size_;
  const torch::Tensor start =
      torch::randint(starts, {batch_size, 1}, std::move(generator), torch::kInt64);
  const torch::Tensor window = start + torch::arange(block_size_ + 1, torch::kInt64);  // (B, T+1)
  const torch::Tensor chars = split.index_select(0, window.flatten()).view_as(window);
  return {chars.slice(1, 0, block_size_), chars.slice(1, 1)};
}

double CharCorpus::unigram_entropy() const {
  const torch::Tensor all = torch::cat({train_, val_});
  const torch::Tensor p = all.bincount({}, vocab_.size()).to(torch::kDouble) / all.size(0);
  const torch::Tensor seen = p.masked_select(p > 0);
  return -(seen * seen.log()).sum().item<double>();
}

}  // namespace requip::moe

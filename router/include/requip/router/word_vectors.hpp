#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace requip::router {

// Pretrained word vectors (data/word_vectors.bin: GloVe, written by script/vendor-word-vectors),
// read-only and shared by every gate that uses them. They carry what a few thousand examples
// cannot teach: that "purchase" is near "buy", and "tomorrow" near "tonight".
class WordVectors {
 public:
  // Reads the file; throws std::runtime_error naming it and the fix when it is not one.
  static std::shared_ptr<const WordVectors> load(const std::filesystem::path& file);
  // From words and their row-major (count, dims) components, stored as the file stores them:
  // for tests and tools.
  WordVectors(const std::vector<std::string>& words, const std::vector<float>& components,
              int dims);

  int dims() const { return dims_; }
  std::size_t size() const { return scales_.size(); }
  // Names the set for reports: its file name, word count and width.
  const std::string& identity() const { return identity_; }

  // The mean of the vectors of the text's words, L2-normalised, into out (dims()). A word
  // unknown whole is looked up without what follows its apostrophe ("what's" as "what").
  // False, out untouched, when no word is known. Allocation-free once out has grown.
  bool text_vector(std::string_view text, std::vector<float>& out) const;

 private:
  // Looks a std::string_view up without making a std::string of it: the routing path.
  struct WordHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view word) const {
      return std::hash<std::string_view>{}(word);
    }
  };

  WordVectors() = default;
  // The word's row, or -1.
  std::ptrdiff_t row(std::string_view word) const;
  void add_row(std::string_view word, float scale, const std::int8_t* components);

  int dims_ = 0;
  std::string identity_;
  std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>> rows_;
  // As the file has them, a quarter of their size in floats: (size, dims) and (size).
  std::vector<std::int8_t> components_;
  std::vector<float> scales_;
};

}  // namespace requip::router

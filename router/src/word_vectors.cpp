#include "requip/router/word_vectors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "requip/router/featurizer.hpp"

namespace requip::router {

namespace {

constexpr std::string_view magic = "requip word vectors 1\n";
// Wider or longer than any published set; a larger header is a damaged file.
constexpr std::uint32_t max_dims = 1024;
constexpr std::uint32_t max_words = 10'000'000;

// A cursor over the file's bytes that names the file when they run out.
class Reader {
 public:
  Reader(const std::string& bytes, const std::filesystem::path& file)
      : bytes_(bytes), file_(file) {}

  std::string_view take(std::size_t n) {
    if (bytes_.size() - at_ < n) fail("is truncated");
    const std::string_view piece(bytes_.data() + at_, n);
    at_ += n;
    return piece;
  }
  template <typename T>
  T value() {
    T out;
    std::memcpy(&out, take(sizeof(T)).data(), sizeof(T));
    return out;
  }
  bool done() const { return at_ == bytes_.size(); }

  [[noreturn]] void fail(std::string_view what) const {
    throw std::runtime_error(
        fmt::format("word vectors: {} {}; restore it from the source tree or write it again with "
                    "script/vendor-word-vectors",
                    file_.string(), what));
  }

 private:
  const std::string& bytes_;
  const std::filesystem::path& file_;
  std::size_t at_ = 0;
};

}  // namespace

std::shared_ptr<const WordVectors> WordVectors::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  Reader reader(bytes, file);
  if (!in.good() && !in.eof()) reader.fail("cannot be read");
  if (reader.take(std::min(bytes.size(), magic.size())) != magic)
    reader.fail("is not a word-vector file");
  const auto count = reader.value<std::uint32_t>();
  const auto dims = reader.value<std::uint32_t>();
  if (count > max_words || dims < 1 || dims > max_dims)
    reader.fail(fmt::format("has an impossible header ({} words of {} dimensions)", count, dims));
  std::shared_ptr<WordVectors> vectors(new WordVectors());
  vectors->dims_ = static_cast<int>(dims);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::string_view word = reader.take(reader.value<std::uint8_t>());
    const auto scale = reader.value<float>();
    if (!std::isfinite(scale)) reader.fail(fmt::format("has a bad scale at word {}", i + 1));
    vectors->add_row(word, scale, reinterpret_cast<const std::int8_t*>(reader.take(dims).data()));
  }
  if (!reader.done()) reader.fail("has bytes after its last word");
  vectors->identity_ =
      fmt::format("{} ({} words, {} dimensions)", file.filename().string(), count, dims);
  return vectors;
}

WordVectors::WordVectors(const std::vector<std::string>& words,
                         const std::vector<float>& components, int dims)
    : dims_(dims) {
  const auto width = static_cast<std::size_t>(dims);
  if (dims < 1 || components.size() != words.size() * width)
    throw std::invalid_argument("word vectors: need dims >= 1 components for every word");
  std::vector<std::int8_t> quantized(width);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const float* row = components.data() + i * width;
    float largest = 0;
    for (std::size_t k = 0; k < width; ++k)
      largest = std::max(largest, std::abs(row[k]));
    const float scale = largest > 0 ? largest / 127 : 1.0f;
    for (std::size_t k = 0; k < width; ++k)
      quantized[k] = static_cast<std::int8_t>(std::lround(row[k] / scale));
    add_row(words[i], scale, quantized.data());
  }
  identity_ = fmt::format("({} words, {} dimensions)", words.size(), dims);
}

void WordVectors::add_row(std::string_view word, float scale, const std::int8_t* components) {
  rows_.emplace(word, scales_.size());  // a repeated word keeps its first row
  scales_.push_back(scale);
  components_.insert(components_.end(), components, components + dims_);
}

std::ptrdiff_t WordVectors::row(std::string_view word) const {
  auto found = rows_.find(word);
  if (found == rows_.end()) {
    const auto apostrophe = word.find('\'');
    if (apostrophe == 0 || apostrophe == std::string_view::npos) return -1;
    found = rows_.find(word.substr(0, apostrophe));
    if (found == rows_.end()) return -1;
  }
  return static_cast<std::ptrdiff_t>(found->second);
}

bool WordVectors::text_vector(std::string_view text, std::vector<float>& out) const {
  thread_local std::vector<float> sum;
  const auto width = static_cast<std::size_t>(dims_);
  sum.assign(width, 0.0f);
  for_each_word(text, [&](std::string_view word) {
    const auto at = row(word);
    if (at < 0) return;
    const auto index = static_cast<std::size_t>(at);
    const std::int8_t* components = components_.data() + index * width;
    const float scale = scales_[index];
    for (std::size_t k = 0; k < width; ++k)
      sum[k] += scale * static_cast<float>(components[k]);
  });
  float norm = 0;
  for (const float x : sum)
    norm += x * x;
  if (norm <= 0) return false;  // no word known
  const float scale = 1.0f / std::sqrt(norm);
  out.resize(width);
  for (std::size_t k = 0; k < width; ++k)
    out[k] = sum[k] * scale;
  return true;
}

}  // namespace requip::router

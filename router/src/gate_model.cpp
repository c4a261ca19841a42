#include "requip/router/gate_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "gate_network.hpp"
#include "ngram_rows.hpp"
#include "replay_memory.hpp"
#include "requip/core/array_pack.hpp"
#include "saved_arrays.hpp"

namespace requip::router {

using detail::GateNetwork;
using detail::misfit;
using detail::NgramRows;
using detail::Objective;
using detail::ReplayMemory;
using detail::SavedArrays;
using detail::Text;

namespace {

// Smoothed inverse document frequency, as scikit-learn's TfidfVectorizer computes it:
// log((1 + N) / (1 + df)) + 1, with both logs kept so that only the total's changes.
float inverse_document_frequency(double log_documents, double log_frequency) {
  return static_cast<float>(log_documents - log_frequency + 1.0);
}

// More n-grams than a blob of any real skill set holds; a larger count asks for gigabytes.
constexpr std::int64_t max_saved_ngrams = std::int64_t{1} << 24;
// Every fifth example of a skill is held out of a first training to calibrate the confidence.
constexpr std::size_t calibration_stride = 5;
// Fewer held-out examples routed right than this put too few below the calibration point (4 at
// the default 4%) for it to say where the least sure lie: the point of a bot with a few skills
// of a few examples each would be its one least sure example.
constexpr std::size_t min_calibration_examples = 100;

// A rejection's step, as a share of a confirmation's. From a cold start a text collects dozens
// of rejections for its one confirmation; at full size they drown it, and on some orders of
// the stream the gate learned next to nothing for its first thousand utterances.
constexpr double rejection_share = 0.1;

// The table row of a text's mean word vector's dimension j is the row of this n-gram, which no
// text yields: a hash of the character kind with the word bit clear, far from any FNV value
// in practice. Through it the vector's components enter the gate as weights of j's row, so
// routing and learning take them with no path of their own.
std::uint64_t vector_dimension(int j) {
  return (0x7ec7'0000'0000'0000ull + static_cast<std::uint64_t>(j)) & ~word_ngram_bit;
}

}  // namespace

struct GateModel::Impl {
  GateConfig config;
  Featurizer featurizer;
  NgramRows ngrams;
  std::vector<float> document_frequency;  // (R) how many learned texts hold each n-gram
  std::vector<float> log_frequency;       // (R) log(1 + df), read by every weighing
  double documents = 0;
  double log_documents = 0;
  GateNetwork network;
  std::vector<std::int32_t> vector_rows;  // (dims) the table rows of the word vectors' dimensions
  ReplayMemory memory;  // confirmations only: declared examples are learned by train()
  // The probability x support below which config.turned_away of the held-out examples routed
  // right fell; 0 when uncalibrated.
  float doubt_point = 0;

  explicit Impl(GateConfig c)
      : config(c),
        featurizer(c.features),
        network(c.dim, c.members, 1, c.seed),
        memory(static_cast<std::size_t>(std::max(0, c.remembered)), c.seed) {
    add_vector_rows();
  }

  void reset(int experts) {
    ngrams.clear();
    document_frequency.clear();
    log_frequency.clear();
    documents = log_documents = 0;
    network = GateNetwork(config.dim, config.members, experts, config.seed);
    add_vector_rows();
  }

  // (dims, words) of the word vectors, or (0, 0): what a saved gate must match.
  std::vector<std::int64_t> word_vectors_shape() const {
    if (!config.word_vectors) return {0, 0};
    return {config.word_vectors->dims(), static_cast<std::int64_t>(config.word_vectors->size())};
  }

  // Rows for the word vectors' dimensions, counted as in one document so that a saved gate's
  // frequencies stay those of real n-grams.
  void add_vector_rows() {
    vector_rows.clear();
    if (!config.word_vectors) return;
    for (int j = 0; j < config.word_vectors->dims(); ++j) {
      const std::int32_t row = ngrams.insert(vector_dimension(j));
      if (static_cast<std::size_t>(row) == document_frequency.size()) {
        document_frequency.push_back(1);
        log_frequency.push_back(static_cast<float>(std::log1p(1.0)));
      }
      vector_rows.push_back(row);
    }
    network.add_rows(ngrams.size());
  }

  // A learned text: each of its n-grams gets a row if it had none, and one more document.
  void count_document(std::vector<std::uint64_t> hashes) {
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    for (const auto hash : hashes) {
      const auto row = static_cast<std::size_t>(ngrams.insert(hash));
      if (row == document_frequency.size()) {
        document_frequency.push_back(0);
        log_frequency.push_back(0);
      }
      document_frequency[row] += 1;
      log_frequency[row] = static_cast<float>(std::log1p(double{document_frequency[row]}));
    }
    documents += 1;
    log_documents = std::log1p(documents);
    network.add_rows(ngrams.size());
  }

  // The text's n-gram occurrences with their TF-IDF weights, L2-normalised over every
  // occurrence, learned or not, then its mean word vector's components at their rows. Returns
  // the share of the n-grams' squared weight on learned ones.
  float weigh(std::string_view utterance, const std::vector<std::uint64_t>& hashes,
              Text& text) const {
    text.resize(hashes.size());
    const float unseen = inverse_document_frequency(log_documents, 0.0);
    const auto word_weight = static_cast<float>(config.word_weight);
    float norm = 0, known = 0;
    for (std::size_t j = 0; j < hashes.size(); ++j) {
      const std::int32_t row = ngrams.find(hashes[j]);
      const float idf = row < 0 ? unseen
                                : inverse_document_frequency(
                                      log_documents, log_frequency[static_cast<std::size_t>(row)]);
      const float weight = is_word_ngram(hashes[j]) ? idf * word_weight : idf;
      text[j] = {row, weight};
      norm += weight * weight;
      if (row >= 0) known += weight * weight;
    }
    const float scale = norm > 0 ? 1.0f / std::sqrt(norm) : 0.0f;
    for (auto& occurrence : text)
      occurrence.weight *= scale;
    thread_local std::vector<float> mean;
    if (!vector_rows.empty() && config.word_vectors->text_vector(utterance, mean)) {
      const auto weight = static_cast<float>(config.word_vector_weight);
      for (std::size_t j = 0; j < vector_rows.size(); ++j)
        text.push_back({vector_rows[j], weight * mean[j]});
    }
    return known * scale * scale;
  }

  // One step raising the expert for the text, with a few earlier confirmations replayed.
  void confirm(const Text& weighed, int expert, const Mask& loaded) {
    const auto replayed = memory.draw(static_cast<std::size_t>(std::max(0, config.replayed)));
    std::vector<Text> earlier(replayed.size());
    std::vector<const Text*> texts{&weighed};
    std::vector<int> targets{expert};
    for (std::size_t i = 0; i < replayed.size(); ++i) {
      const auto row = static_cast<std::size_t>(replayed[i]->expert);
      if (row >= loaded.size() || !loaded[row]) continue;  // a skill that may not be chosen now
      weigh(replayed[i]->text, featurizer.features(replayed[i]->text), earlier[i]);
      texts.push_back(&earlier[i]);
      targets.push_back(replayed[i]->expert);
    }
    network.step(texts, targets, loaded, Objective::raise, config.learning_rate, 0.0, true);
  }

  // A new table and gates learned from the examples of loaded skills.
  void train(const std::vector<TrainingExample>& examples, const Mask& loaded,
             const Progress& progress) {
    reset(std::max(network.experts(), static_cast<int>(loaded.size())));
    for (const auto& example : examples)
      count_document(featurizer.features(example.text));
    std::vector<std::size_t> usable;
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const auto expert = static_cast<std::size_t>(examples[i].expert);
      if (expert < loaded.size() && loaded[expert]) usable.push_back(i);
    }
    if (!usable.empty()) fit(examples, usable, loaded, progress);
  }

  // The text's support: the learned share of its weight times the sigmoid of its top score.
  // The sigmoid has no scale of its own, so only a calibrated gate weighs it: an uncalibrated
  // one returns the learned share alone.
  float support(std::string_view text, const Mask& loaded, std::vector<float>& out,
                bool calibrated) const {
    thread_local std::vector<std::uint64_t> hashes;
    thread_local Text weighed;
    featurizer.features(text, hashes);
    const float known = weigh(text, hashes, weighed);
    const float top_score = network.probabilities(weighed, loaded, out);
    return calibrated ? known / (1.0f + std::exp(-top_score)) : known;
  }

  // Trains a gate without every fifth example of each skill and returns the probability x
  // support below which config.turned_away of those it routes right fall: held-out examples
  // stand for the in-scope input the router will meet, which scores lower than what it
  // learned from. 0 when too few were held out.
  float calibrate(const std::vector<TrainingExample>& examples, const Mask& loaded) const {
    std::vector<TrainingExample> kept, held_out;
    std::vector<std::size_t> seen(loaded.size(), 0);
    for (const auto& example : examples) {
      const auto expert = static_cast<std::size_t>(example.expert);
      const bool usable = expert < loaded.size() && loaded[expert];
      if (usable && ++seen[expert] % calibration_stride == 0) {
        held_out.push_back(example);
      } else {
        kept.push_back(example);
      }
    }
    if (held_out.size() < min_calibration_examples) return 0;
    Impl first(config);
    first.train(kept, loaded, {});
    std::vector<float> scores, probabilities;
    for (const auto& example : held_out) {
      const float support = first.support(example.text, loaded, probabilities, true);
      const auto best = std::max_element(probabilities.begin(), probabilities.end());
      if (best - probabilities.begin() == example.expert) scores.push_back(*best * support);
    }
    if (scores.size() < min_calibration_examples) return 0;
    std::sort(scores.begin(), scores.end());
    const auto at =
        static_cast<std::size_t>(config.turned_away * static_cast<double>(scores.size()));
    return scores[std::min(at, scores.size() - 1)];
  }

  // The cold-start epochs over examples[usable], with the counts already taken.
  void fit(const std::vector<TrainingExample>& examples, std::vector<std::size_t>& usable,
           const Mask& loaded, const Progress& progress) {
    const auto batch_size = static_cast<std::size_t>(config.batch_size);
    const std::size_t batches = (usable.size() + batch_size - 1) / batch_size;
    // The weights are fixed once the counts are: each example is weighed once, not per epoch.
    std::vector<Text> weighed(examples.size());
    for (auto i : usable)
      weigh(examples[i].text, featurizer.features(examples[i].text), weighed[i]);
    std::mt19937_64 shuffler(config.seed);
    std::vector<const Text*> texts;
    std::vector<int> targets;
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      double loss_sum = 0;
      std::shuffle(usable.begin(), usable.end(), shuffler);
      for (std::size_t b = 0; b < batches; ++b) {
        // The learning rate decays linearly to nearly zero over the whole run.
        const double done =
            (epoch + static_cast<double>(b) / batches) / static_cast<double>(config.epochs);
        const double rate = config.learning_rate * std::max(0.02, 1.0 - done);
        texts.clear();
        targets.clear();
        for (std::size_t i = b * batch_size; i < std::min(usable.size(), (b + 1) * batch_size);
             ++i) {
          texts.push_back(&weighed[usable[i]]);
          targets.push_back(examples[usable[i]].expert);
        }
        loss_sum +=
            network.step(texts, targets, loaded, Objective::raise, rate, config.dropout, true);
      }
      if (progress) progress(epoch + 1, config.epochs, loss_sum / static_cast<double>(batches));
    }
  }
};

GateModel::GateModel(GateConfig config) : impl_(std::make_unique<Impl>(config)) {}
GateModel::GateModel(GateModel&&) noexcept = default;
GateModel& GateModel::operator=(GateModel&&) noexcept = default;
GateModel::~GateModel() = default;

const GateConfig& GateModel::config() const {
  return impl_->config;
}

int GateModel::experts() const {
  return impl_->network.experts();
}

std::int32_t GateModel::ngrams() const {
  return impl_->ngrams.size() - static_cast<std::int32_t>(impl_->vector_rows.size());
}

void GateModel::grow(int experts) {
  impl_->network.grow(experts);
}

void GateModel::train(const std::vector<TrainingExample>& examples, const Mask& loaded,
                      const Progress& progress) {
  auto& impl = *impl_;
  impl.doubt_point = impl.calibrate(examples, loaded);
  impl.train(examples, loaded, progress);
}

void GateModel::learn(std::string_view text, int expert, bool positive, const Mask& loaded) {
  auto& impl = *impl_;
  if (expert >= experts()) grow(expert + 1);
  const auto hashes = impl.featurizer.features(text);
  if (positive) impl.count_document(hashes);
  Text weighed;
  impl.weigh(text, hashes, weighed);
  if (!positive) {
    // A rejection says what the text is not, which is weak evidence about its n-grams: it
    // moves the gates only, so that a run of rejections cannot close the ReLUs for good.
    impl.network.step({&weighed}, {expert}, loaded, Objective::lower,
                      impl.config.learning_rate * rejection_share, 0.0, false);
    return;
  }
  std::vector<float> probabilities;
  for (int step = 0; step < impl.config.confirm_steps; ++step) {
    impl.confirm(weighed, expert, loaded);
    impl.network.probabilities(weighed, loaded, probabilities);
    if (std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin() ==
        expert) {
      break;
    }
  }
  impl.memory.remember(text, expert);
}

float GateModel::probabilities(std::string_view text, const Mask& loaded,
                               std::vector<float>& out) const {
  return impl_->support(text, loaded, out, impl_->doubt_point > 0);
}

float GateModel::confidence(float probability, float support, double threshold) const {
  const float plain = probability * support;
  const float doubt = impl_->doubt_point;
  if (doubt <= 0 || doubt >= 1 || threshold <= 0 || threshold >= 1 || plain <= 0) return plain;
  // A power keeps 0 and 1 where they are and moves the doubt point onto the threshold.
  return std::pow(plain, static_cast<float>(std::log(threshold) / std::log(doubt)));
}

std::string GateModel::save() const {
  const auto& impl = *impl_;
  const std::vector<std::uint64_t>& hashes = impl.ngrams.ngrams();
  const std::vector<std::int64_t> ngrams(hashes.begin(), hashes.end());
  const auto rows = static_cast<std::int64_t>(ngrams.size());
  std::vector<PackedArray> arrays{
      PackedArray::of("layout", std::vector<std::int64_t>{impl.config.dim, impl.config.members},
                      {2}),
      PackedArray::of("documents", std::vector<double>{impl.documents}, {1}),
      PackedArray::of("ngrams", ngrams, {rows}),
      PackedArray::of("document_frequency", impl.document_frequency, {rows})};
  for (auto& array : impl.network.state())
    arrays.push_back(std::move(array));
  arrays.push_back(PackedArray::of("doubt_point", std::vector<double>{impl.doubt_point}, {1}));
  arrays.push_back(
      PackedArray::of("word_weight", std::vector<double>{impl.config.word_weight}, {1}));
  arrays.push_back(PackedArray::of("word_vectors", impl.word_vectors_shape(), {2}));
  return pack_arrays(arrays);
}

void GateModel::load(std::string_view bytes) {
  auto& impl = *impl_;
  std::vector<PackedArray> arrays;
  try {
    arrays = unpack_arrays(bytes);
  } catch (const std::runtime_error&) {
    // Told apart below when it is an archive of the oldest layout.
  }
  const SavedArrays saved(arrays);
  // Blobs of the hashed-bucket table, written before the table grew with its n-grams: a
  // tensor pack led by their shape, or a LibTorch archive (a zip) before that.
  if (saved.has("shape") || bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    throw std::runtime_error(
        "gate model: the saved weights are of the older hashed layout and are rebuilt from the "
        "skills' examples and the confirmed feedback");
  }
  if (arrays.empty()) {
    throw std::runtime_error(
        "gate model: the saved weights are unreadable; delete the blob to retrain");
  }
  if (!saved.has("doubt_point")) {
    throw std::runtime_error(
        "gate model: the saved weights predate the calibrated confidence and are rebuilt from "
        "the skills' examples and the confirmed feedback");
  }
  if (!saved.has("word_weight")) {
    throw std::runtime_error(
        "gate model: the saved weights predate the weighed word n-grams and are rebuilt from "
        "the skills' examples and the confirmed feedback");
  }
  const auto layout = saved.int64s("layout", {2});
  if (layout[0] != impl.config.dim || layout[1] != impl.config.members) {
    misfit(fmt::format("layout (dim {}, members {}; this gate has {}, {})", layout[0], layout[1],
                       impl.config.dim, impl.config.members));
  }
  const double word_weight = saved.doubles("word_weight", {1})[0];
  if (word_weight != impl.config.word_weight) {
    misfit(fmt::format("word_weight ({}; this gate has {})", word_weight, impl.config.word_weight));
  }
  if (!saved.has("word_vectors") && impl.config.word_vectors) {
    throw std::runtime_error(
        "gate model: the saved weights predate the word vectors and are rebuilt from the "
        "skills' examples and the confirmed feedback");
  }
  const std::vector<std::int64_t> no_vectors{0, 0};
  const auto word_vectors =
      saved.has("word_vectors") ? saved.int64s("word_vectors", {2}) : no_vectors;
  if (word_vectors != impl.word_vectors_shape()) {
    misfit(fmt::format("word_vectors ({} of {} dimensions; this gate has {} of {})",
                       word_vectors[1], word_vectors[0], impl.word_vectors_shape()[1],
                       impl.word_vectors_shape()[0]));
  }
  const double documents = saved.doubles("documents", {1})[0];
  if (documents < 0) misfit("documents");
  const double doubt_point = saved.doubles("doubt_point", {1})[0];
  if (doubt_point < 0 || doubt_point > 1) misfit("doubt_point");
  const std::int64_t rows = saved.size("ngrams", 1, 0);
  if (rows > max_saved_ngrams) misfit("ngrams");
  NgramRows ngrams;
  for (const auto hash : saved.int64s("ngrams", {rows})) {
    const std::int32_t next = ngrams.size();
    if (ngrams.insert(static_cast<std::uint64_t>(hash)) != next) misfit("ngrams");
  }
  auto frequency = saved.floats("document_frequency", {rows});
  std::vector<float> log_frequency;
  for (const float df : frequency) {
    if (df < 1) misfit("document_frequency");
    log_frequency.push_back(static_cast<float>(std::log1p(double{df})));
  }
  std::vector<std::int32_t> vector_rows;
  for (int j = 0; j < static_cast<int>(word_vectors[0]); ++j) {
    vector_rows.push_back(ngrams.find(vector_dimension(j)));
    if (vector_rows.back() == NgramRows::absent) misfit("ngrams");
  }
  impl.network.set_state(saved, rows);  // checks the rest before it changes anything
  impl.vector_rows = std::move(vector_rows);
  impl.ngrams = std::move(ngrams);
  impl.document_frequency = std::move(frequency);
  impl.log_frequency = std::move(log_frequency);
  impl.documents = documents;
  impl.log_documents = std::log1p(documents);
  impl.doubt_point = static_cast<float>(doubt_point);
}

}  // namespace requip::router

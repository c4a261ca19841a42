#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "requip/router/featurizer.hpp"
#include "requip/router/word_vectors.hpp"

namespace requip::router {

// One config for the gate, passed down; nothing is read from globals.
struct GateConfig {
  FeaturizerConfig features{};
  int dim = 96;     // width of each member's slice of the n-gram embedding
  int members = 2;  // gates over their own slices whose probabilities are averaged
  int epochs = 10;  // cold-start passes over the examples
  int batch_size = 64;
  double learning_rate = 0.1;  // Adagrad, for training and for online feedback alike
  double dropout = 0.2;        // on the embedding, training only
  // A word n-gram's TF-IDF weight against a character n-gram's. A word yields a dozen
  // character n-grams, which at equal weight drown the words and word pairs that tell
  // requests apart best.
  double word_weight = 3.0;
  // Pretrained word vectors, or none. The mean vector of a text's words enters the gate beside
  // its n-grams, weighed word_vector_weight against their unit norm: it tells the gate of
  // words its examples never held.
  std::shared_ptr<const WordVectors> word_vectors;
  double word_vector_weight = 1.0;
  int replayed = 8;       // earlier confirmations replayed with each online confirmation
  int confirm_steps = 4;  // at most, until the confirmed skill ranks first for its text
  int remembered = 256;   // the most recent confirmations kept for replay
  // The share of examples routed right whose confidence may fall below the router's
  // out-of-scope threshold: the calibration point, measured on examples held out of training.
  double turned_away = 0.04;
  std::uint64_t seed = 7;
};

struct TrainingExample {
  std::string text;
  int expert = 0;  // the skill's row in the gate
};

// The learned part of the router: word and character n-grams, TF-IDF weighted, summed as an
// EmbeddingBag sums them into a vector that the MoE's top-k gate (at top-1) scores against
// one row per skill. The n-gram table has a row for each n-gram the gate has learned from and
// grows with them: a bot with a few skills holds a few thousand rows. Skill rows are never
// deleted: a skill that is not loaded is masked out and keeps what it learned.
//
// Needs no LibTorch. Not thread-safe for learning: RouterModel serializes it against routing.
class GateModel {
 public:
  using Mask = std::vector<bool>;  // (E) true = the skill is loaded and may be chosen
  // Called after each epoch with its number (from 1) and its mean loss.
  using Progress = std::function<void(int epoch, int epochs, double loss)>;

  explicit GateModel(GateConfig config = {});
  GateModel(GateModel&&) noexcept;
  GateModel& operator=(GateModel&&) noexcept;
  ~GateModel();

  int experts() const;
  // How many n-grams the table holds a row for.
  std::int32_t ngrams() const;
  // Adds rows up to `experts`, keeping the learned ones.
  void grow(int experts);

  // Trains from scratch on the examples (rows outside the mask are ignored).
  void train(const std::vector<TrainingExample>& examples, const Mask& loaded,
             const Progress& progress = {});
  // Online feedback. A positive example raises the row's probability for this text until it
  // ranks first (in a few steps at most), each step replaying a few earlier confirmations
  // beside it; a negative one lowers it by one smaller step.
  void learn(std::string_view text, int expert, bool positive, const Mask& loaded);

  // (E) probabilities, zero outside the mask. Returns the text's support in [0, 1]: the share
  // of its squared TF-IDF weight on n-grams the gate has learned from, times, once the gate is
  // calibrated, the sigmoid of the top score, which is low for text unlike every skill however
  // the probabilities fall.
  float probabilities(std::string_view text, const Mask& loaded, std::vector<float>& out) const;
  // How sure the gate is of a skill with this probability for a text with this support, in
  // [0, 1]: their product, calibrated so that `threshold` falls where config().turned_away of
  // the held-out examples routed right fall below it. Uncalibrated (the plain product) when
  // training held out too few examples for that.
  float confidence(float probability, float support, double threshold) const;

  // Everything learned, as bytes for a blob, and back. load() throws on bytes it cannot read.
  std::string save() const;
  void load(std::string_view bytes);

  const GateConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace requip::router

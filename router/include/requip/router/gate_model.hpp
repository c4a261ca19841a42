#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "requip/router/featurizer.hpp"

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
  std::uint64_t seed = 7;
};

struct TrainingExample {
  std::string text;
  int expert = 0;  // the skill's row in the gate
};

// The learned part of the router: hashed n-grams, TF-IDF weighted, summed by an EmbeddingBag
// into a vector that a moe::TopKGate scores against one row per skill. Rows are never deleted:
// a skill that is not loaded is masked out and keeps what it learned.
//
// Not thread-safe: RouterModel serializes access.
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
  // Adds rows up to `experts`, keeping the learned ones.
  void grow(int experts);

  // Trains from scratch on the examples (rows outside the mask are ignored).
  void train(const std::vector<TrainingExample>& examples, const Mask& loaded,
             const Progress& progress = {});
  // One online step: a positive example raises the row's probability for this text, a
  // negative one lowers it.
  void learn(std::string_view text, int expert, bool positive, const Mask& loaded);

  // (E) probabilities, zero outside the mask. Computed on a plain copy of the weights that
  // training, loading and every online step refresh: the same math as the torch modules,
  // without their per-op cost. Returns the share of the text's TF-IDF
  // weight that falls on n-grams the gate has learned from.
  float probabilities(std::string_view text, const Mask& loaded, std::vector<float>& out) const;
  // The same through the torch modules; the reference the fast path is tested against.
  std::vector<float> probabilities_reference(std::string_view text, const Mask& loaded) const;

  // Everything learned, as bytes for a blob, and back. load() throws on bytes it cannot read.
  std::string save() const;
  void load(std::string_view bytes);

  const GateConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace requip::router

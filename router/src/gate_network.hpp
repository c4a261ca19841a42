#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "requip/core/array_pack.hpp"
#include "saved_arrays.hpp"
#include "sparse_row_adagrad.hpp"

namespace requip::router::detail {

// One n-gram occurrence of a text as the gate reads it: the table row of its n-gram
// (NgramRows::absent for one the gate never learned from, whose row would be zero) and its
// TF-IDF weight, normalised over the text.
struct Occurrence {
  std::int32_t row = -1;
  float weight = 0;
};
using Text = std::vector<Occurrence>;

// What a step pushes each text's target skill towards.
enum class Objective {
  raise,  // minimise -log p: the skill was right
  lower,  // minimise -log(1 - p): the skill was wrong
};

// The router's gate, one implementation for routing and for learning: an n-gram table of M
// slices of width d, summed per text with TF-IDF weights, a ReLU, and M softmax gates over
// the skills, one per slice, whose probabilities are averaged. Each gate is the MoE's
// moe::TopKGate at top-1 without noise (a test holds the two to the same numbers), written as
// plain loops: a routed utterance is a few thousand multiply-adds, which torch's per-op
// dispatch would dwarf, and a bot that routes need not load LibTorch.
//
// Not thread-safe for writing: RouterModel serialises steps against routing.
class GateNetwork {
 public:
  GateNetwork(int dim, int members, int experts, std::uint64_t seed);

  int dim() const { return dim_; }
  int members() const { return members_; }
  int experts() const { return experts_; }
  std::int32_t rows() const { return static_cast<std::int32_t>(table_square_.size()); }

  // Zero rows up to `rows`, for n-grams met for the first time.
  void add_rows(std::int32_t rows);
  // More skills; the learned ones keep their weights.
  void grow(int experts);

  // (E) probabilities, zero outside `allowed`; returns the members' mean top score (logit),
  // which softmax hides: text unlike every skill scores low on all of them. Allocation-free
  // once its buffers have grown.
  float probabilities(const Text& text, const std::vector<bool>& allowed,
                      std::vector<float>& out) const;

  // One Adagrad step on the batch's loss (the mean over texts, summed over members) for each
  // text's target skill; returns that loss per member. Dropout applies to the hidden units;
  // without update_table only the gates move.
  double step(const std::vector<const Text*>& texts, const std::vector<int>& targets,
              const std::vector<bool>& allowed, Objective objective, double learning_rate,
              double dropout, bool update_table);

  // Everything learned, by name, and back for a table of `rows` n-grams; set_state checks
  // every array before it changes anything and throws std::runtime_error naming the one that
  // does not fit.
  std::vector<PackedArray> state() const;
  void set_state(const SavedArrays& saved, std::int64_t rows);

 private:
  // A weight with its Adagrad accumulator and the gradient of the step in progress.
  struct Dense {
    std::vector<float> value, square, gradient;
    void resize(std::size_t size, float initial);
    void step(double learning_rate);
  };

  // pre (W) = hidden bias + the text's weighted rows; the hidden units are relu(pre).
  void sum_rows(const Text& text, float* pre) const;
  // The member's (E) probabilities from its slice of the hidden units; returns log p[target]
  // when target >= 0. top_score, if given, receives the highest allowed score.
  float gate(int member, const float* hidden, const std::vector<bool>& allowed, float* out,
             int target = -1, float* top_score = nullptr) const;

  int dim_, members_, experts_, width_;
  std::vector<float> table_;         // (R, M*d), zero at first
  std::vector<float> table_square_;  // (R) row-wise Adagrad accumulators
  Dense hidden_bias_;                // (M*d)
  Dense gate_weights_;               // (M, d, E): along E, so a hidden unit scores every skill
  Dense gate_biases_;                // (M, E)
  SparseRowAdagrad table_optimizer_;
  std::mt19937_64 random_;  // initial gate weights, then dropout
};

}  // namespace requip::router::detail

#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "requip/moe/language_model.hpp"

namespace requip::moe::detail {

// Generation's inner loop: one position at a time through a trained model, in plain loops over a
// copy of its weights. A position costs about 1.3M multiply-adds at the seed's shape, which
// tensor ops would bury under their dispatch overhead (some thirty ops per layer, microseconds
// each). It computes what LanguageModel::forward computes in eval mode, position by position.
class TokenDecoder {
 public:
  // Expert-choice routing ranks the tokens of a batch against each other, which a lone position
  // cannot do; every token-choice model (with or without capacity, shared experts, masks,
  // bias balancing) and the dense baseline can be decoded.
  static bool supports(const LmConfig& config);

  explicit TokenDecoder(LanguageModel& model);

  // Forgets every position, as if the context were empty.
  void reset() { length_ = 0; }
  std::int64_t length() const { return length_; }
  std::int64_t block_size() const { return config_.block_size; }

  // Reads `id` at the next position; returns the logits for the id after it. Throws
  // std::out_of_range when the context already holds block_size positions.
  const std::vector<float>& step(std::int64_t id);
  // Forgets the context and reads `ids` (1 to block_size of them) as a new one; returns the
  // logits for the id after the last. A long context goes through the full model at once: its
  // batched products read each weight once for every position, not once per position.
  const std::vector<float>& read(const std::vector<std::int64_t>& ids);

  // y = x w + b for w stored (in, out), as the experts keep theirs.
  struct Linear {
    std::vector<float> w;
    std::vector<float> b;  // empty: no bias
    std::int64_t in = 0, out = 0;
    void apply(const float* x, float* y) const;
  };
  struct LayerNorm {
    std::vector<float> weight, bias;
    void apply(const float* x, float* y) const;
  };
  struct Ffn {
    Linear up, down;
    void add(const float* x, float scale, float* hidden, float* y) const;  // y += scale * ffn(x)
  };
  struct Gate {
    Linear route;
    std::unique_ptr<bool[]> selectable;
    std::vector<float> selection_bias;  // empty: selection by score alone
    std::int64_t top_k = 0;
  };
  struct Layer {
    LayerNorm ln_attention, ln_ffn;
    Linear qkv, proj;
    Gate gate;
    std::vector<Ffn> experts;
    std::vector<Ffn> always;  // the dense FFN, or the MoE's shared experts
    std::vector<float> keys;  // (block_size, n_embed), heads side by side
    std::vector<float> values;
  };

 private:
  void attend(Layer& layer, const float* normed, float* out);
  void feed_forward(const Layer& layer, const float* normed, float* out);

  LanguageModel model_;
  LmConfig config_;
  std::vector<float> token_embedding_, position_embedding_;
  std::vector<Layer> layers_;
  LayerNorm ln_final_;
  Linear head_;
  std::int64_t length_ = 0;
  // Scratch, sized once: one position's activations.
  std::vector<float> x_, normed_, mixed_, qkv_, scores_, hidden_, gate_logits_, logits_;
  std::vector<float> probabilities_, expert_weights_;
  std::vector<std::int64_t> chosen_;
};

}  // namespace requip::moe::detail

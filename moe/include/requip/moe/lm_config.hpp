#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "requip/moe/moe_config.hpp"

namespace requip::moe {

// Everything that fixes the tinymoe language model's shape; passed down to every module.
// The defaults are the seed's: 4 layers of 4 heads at width 128, 8 experts, top-2.
struct LmConfig {
  std::int64_t vocab_size = 65;
  std::int64_t block_size = 128;  // longest context, in characters
  std::int64_t n_head = 4;
  std::int64_t n_layer = 4;
  double dropout = 0.1;
  // A dense FFN of width top_k * d_hidden instead of the MoE: the same active FLOPs per token.
  bool dense = false;
  // Its d_model is the model's width, stored here only so that the two cannot disagree.
  MoeConfig moe{.d_model = 128, .d_hidden = 4 * 128};

  std::int64_t n_embed() const { return moe.d_model; }

  // Throws std::invalid_argument naming the field and the fix when the shape cannot work.
  void validate() const;
};

nlohmann::json to_json(const LmConfig& config);
// Throws std::invalid_argument naming the missing or ill-typed field.
LmConfig lm_config_from_json(const nlohmann::json& json);

}  // namespace requip::moe

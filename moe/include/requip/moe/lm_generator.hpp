#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "requip/moe/language_model.hpp"

namespace requip::moe {

struct SampleOptions {
  std::int64_t count = 500;  // characters to generate
  double temperature = 1.0;  // < 1 sharpens, > 1 flattens
  std::int64_t top_k = 0;    // sample among the k likeliest; 0 keeps every character
  std::uint64_t seed = 1337;
  // Off re-reads the whole context for every character, as the seed does: the baseline.
  bool kv_cache = true;
};

// Continues `prompt` (character ids; empty starts from id 0) by `options.count` ids, using a KV
// cache so each new character costs one position. When the context reaches the block size it
// slides by half a block: the newest half is re-read and the cache continues from there.
// `on_id` sees each new id as it is drawn, for streaming output.
std::vector<std::int64_t> generate(LanguageModel& model, std::vector<std::int64_t> prompt,
                                   const SampleOptions& options,
                                   const std::function<void(std::int64_t)>& on_id = {});

}  // namespace requip::moe

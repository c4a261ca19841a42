#pragma once

#include <cstdint>

namespace requip::moe {

// Who chooses: each token its top-k experts, or each expert its top-C tokens.
enum class Routing { token_choice, expert_choice };

// How token-choice slots reach the experts. `automatic` takes the gathered path for a handful
// of slots (generation, one token at a time) and the grouped one otherwise.
enum class Dispatch {
  automatic,
  grouped,   // sort slots by expert, one GEMM per contiguous segment
  gathered,  // gather each slot's expert weights, one batched matmul; no sort, no host read
  naive,     // the seed's masked loop over experts: test oracle and benchmark baseline
};

// One config for the sparse MoE layer, passed down to the gate and the experts.
struct MoeConfig {
  int64_t d_model = 128;
  int64_t d_hidden = 512;  // per expert (seed: 4 * n_embed)
  int64_t experts = 8;
  int64_t top_k = 2;
  bool noisy_gate = true;      // learned noise through softplus, only while training
  double capacity_factor = 0;  // 0 = no capacity; else slots per expert = ceil(cf * N * k / E)
  Routing routing = Routing::token_choice;
  int64_t shared_experts = 0;   // always-on experts of d_hidden each, added to every token
  bool bias_balancing = false;  // DeepSeek-V3 style: selection bias nudged by sign, no aux loss
  double bias_update_rate = 1e-3;
  Dispatch dispatch = Dispatch::automatic;
  // Automatic dispatch gathers at most this many slots. 0: `requip bench moe` finds the fused
  // grouped kernel faster from a single token on, since it reads each expert's weights in place
  // where gathering copies them.
  int64_t gathered_max_slots = 0;
};

struct ParameterCount {
  int64_t total = 0;   // every weight the layer holds
  int64_t active = 0;  // weights one token touches: the gate, top_k experts, the shared ones
};

// What a SparseMoe built from `config` holds and what each token uses of it.
ParameterCount count_parameters(const MoeConfig& config);

}  // namespace requip::moe

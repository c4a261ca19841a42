#include "requip/moe/sparse_moe.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "distributed/expert_parallel.hpp"
#include "requip/moe/process_group.hpp"
#include "routing_summary.hpp"

namespace requip::moe {

SparseMoeImpl::SparseMoeImpl(const MoeConfig& config) : config_(config) {
  if (config.capacity_factor < 0)
    throw std::invalid_argument(fmt::format(
        "moe: capacity_factor {} must be 0 (no capacity) or positive", config.capacity_factor));
  if (config.shared_experts < 0)
    throw std::invalid_argument(
        fmt::format("moe: shared_experts {} must not be negative", config.shared_experts));
  gate = register_module("gate", TopKGate(config));
  experts = register_module("experts", ExpertBank(config));
  if (config.shared_experts > 0)
    shared = register_module("shared",
                             DenseFfn(config.d_model, config.shared_experts * config.d_hidden));
}

int64_t SparseMoeImpl::capacity(int64_t tokens) const {
  if (config_.capacity_factor == 0) return 0;
  const double slots = config_.capacity_factor * static_cast<double>(tokens * config_.top_k) /
                       static_cast<double>(config_.experts);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(slots)));
}

void SparseMoeImpl::shard_experts(std::shared_ptr<ProcessGroup> group) {
  const int64_t world = group->world_size();
  if (config_.experts % world != 0)
    throw std::invalid_argument(
        fmt::format("expert parallelism needs the expert count {} to be a multiple of the {} "
                    "ranks; change --experts or the number of ranks",
                    config_.experts, world));
  if (config_.routing == Routing::expert_choice)
    throw std::invalid_argument("expert parallelism needs token-choice routing");
  const int64_t local = config_.experts / world, first = group->rank() * local;
  torch::NoGradGuard no_grad;
  for (torch::Tensor* parameter : {&experts->w1, &experts->b1, &experts->w2, &experts->b2})
    parameter->set_data(parameter->narrow(0, first, local).clone());
  expert_group_ = std::move(group);
}

void SparseMoeImpl::gather_experts() {
  if (!expert_group_) return;
  torch::NoGradGuard no_grad;
  for (torch::Tensor* parameter : {&experts->w1, &experts->b1, &experts->w2, &experts->b2}) {
    // (W, E / W, ...) in rank order is (E, ...) in expert order.
    const torch::Tensor whole = expert_group_->all_gather(*parameter);
    parameter->set_data(whole.flatten(0, 1));
  }
  expert_group_.reset();
}

MoeOutput SparseMoeImpl::forward(const torch::Tensor& x) {
  if ((x.dim() != 2 && x.dim() != 3) || x.size(-1) != config_.d_model)
    throw std::invalid_argument(fmt::format("moe: input must be (B, T, {0}) or (N, {0}), got {1}",
                                            config_.d_model, fmt::join(x.sizes(), "x")));
  const auto flat = x.reshape({-1, config_.d_model});  // (N, d)
  const int64_t n = flat.size(0);
  GateOutput routed = gate->forward(flat);
  const int64_t limit = capacity(n);

  MoeOutput out;
  out.z_loss = routed.z_loss;
  torch::Tensor y, counts, dropped;
  int64_t total = 0;
  if (config_.routing == Routing::expert_choice) {
    // Without a capacity factor each expert takes its fair share, N * k / E tokens.
    const int64_t per_expert = std::clamp<int64_t>(
        limit > 0 ? limit : (n * config_.top_k + config_.experts - 1) / config_.experts, 1, n);
    auto chosen = experts->expert_choice(flat, routed.probs, per_expert);
    y = chosen.y;
    counts = torch::full({config_.experts}, per_expert, torch::kLong);
    dropped = chosen.unserved_tokens;
    total = n;
    out.balance_loss = torch::zeros({}, flat.options());  // balanced by construction
  } else if (expert_group_) {
    // Capacity counts every rank's tokens, as if they were one batch.
    int64_t global_limit = 0;
    if (config_.capacity_factor > 0) {
      torch::Tensor tokens = torch::tensor({n}, torch::kLong);
      expert_group_->allreduce_sum(tokens);
      global_limit = capacity(tokens.item<int64_t>());
    }
    y = detail::expert_parallel_experts(expert_group_, flat, routed.indices, routed.weights,
                                        experts->w1, experts->b1, experts->w2, experts->b2,
                                        global_limit);
  } else {
    const bool few_slots = n * config_.top_k <= config_.gathered_max_slots && limit == 0;
    switch (config_.dispatch) {
      case Dispatch::automatic:
        y = few_slots ? experts->gathered(flat, routed.indices, routed.weights)
                      : experts->grouped(flat, routed.indices, routed.weights, limit);
        break;
      case Dispatch::grouped:
        y = experts->grouped(flat, routed.indices, routed.weights, limit);
        break;
      case Dispatch::gathered:
        if (limit > 0)
          throw std::invalid_argument(
              "moe: gathered dispatch cannot drop tokens; use grouped or capacity_factor 0");
        y = experts->gathered(flat, routed.indices, routed.weights);
        break;
      case Dispatch::naive:
        y = experts->naive(flat, routed.indices, routed.weights, limit);
        break;
    }
  }
  if (config_.routing == Routing::token_choice) {
    counts = routed.expert_counts;
    dropped = limit > 0 ? (counts - limit).clamp_min(0).sum() : torch::zeros({}, torch::kLong);
    total = n * config_.top_k;
    out.balance_loss = routed.balance_loss;
  }
  if (shared) y = y + shared->forward(flat);
  out.y = y.view(x.sizes());
  out.stats = detail::summarize_routing(counts, dropped, total, routed.probs);
  return out;
}

}  // namespace requip::moe

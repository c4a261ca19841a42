#include "expert_parallel.hpp"

#include <vector>

#include "../grouped_experts.hpp"
#include "all_to_all.hpp"

namespace requip::moe::detail {

torch::Tensor expert_parallel_experts(const std::shared_ptr<ProcessGroup>& group,
                                      const torch::Tensor& x, const torch::Tensor& indices,
                                      const torch::Tensor& weights, const torch::Tensor& w1,
                                      const torch::Tensor& b1, const torch::Tensor& w2,
                                      const torch::Tensor& b2, std::int64_t capacity) {
  const std::int64_t n = x.size(0), d = x.size(1), top_k = indices.size(1);
  const std::int64_t local_experts = w1.size(0), world = group->world_size();
  const torch::Tensor expert = indices.reshape(-1).to(torch::kLong);  // (S) slot -> expert
  const torch::Tensor owner = expert.div(local_experts, "floor");     // (S) slot -> rank
  // A stable sort keeps each destination's slots in token order, which is the order in which
  // a capacity-limited expert serves them.
  const torch::Tensor order = std::get<1>(owner.sort(c10::optional<bool>(true), 0));  // (S)
  const torch::Tensor counts = owner.bincount({}, world).contiguous();
  const std::vector<std::int64_t> send(counts.data_ptr<std::int64_t>(),
                                       counts.data_ptr<std::int64_t>() + world);
  const std::vector<std::int64_t> recv = group->exchange_counts(send);

  const torch::Tensor slot_rows = x.index_select(0, order.div(top_k, "floor"));           // (S, d)
  const torch::Tensor arrived = differentiable_all_to_all(group, slot_rows, send, recv);  // (M, d)
  const torch::Tensor arrived_experts =
      group->all_to_all(expert.index_select(0, order).remainder(local_experts), send, recv);
  const torch::Tensor served = grouped_experts(
      arrived, arrived_experts.unsqueeze(1), torch::ones({arrived.size(0), 1}, x.options()), w1, b1,
      w2, b2, capacity);  // (M, d), zero rows for the slots over capacity
  const torch::Tensor returned = differentiable_all_to_all(group, served, recv, send);  // (S, d)
  const torch::Tensor by_slot = torch::empty_like(order).index_copy_(
      0, order, torch::arange(order.numel(), order.options()));  // slot -> row of `returned`
  const torch::Tensor outputs = returned.index_select(0, by_slot).view({n, top_k, d});
  return (outputs * weights.unsqueeze(-1)).sum(1);  // (N, d)
}

}  // namespace requip::moe::detail

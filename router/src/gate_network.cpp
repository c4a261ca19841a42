#include "gate_network.hpp"
#include "saved_tensor.hpp"

#include <fmt/format.h>

#include <ATen/CPUGeneratorImpl.h>

#if defined(__linux__)
#include <sys/mman.h>

#include <stdexcept>
#include <string_view>
#endif

namespace requip::router::detail {

namespace F = torch::nn::functional;

namespace {
// A positive start keeps the ReLU open while the table is still zero, so gradients reach it.
constexpr float initial_hidden_bias = 0.1f;

// A zero table of hundreds of megabytes, read and written a scattered row at a time: with
// 4 KiB pages nearly every row is a TLB miss as well, so it asks Linux for huge pages.
torch::Tensor zero_table(int buckets, int width) {
  auto table = torch::empty({buckets, width});
#if defined(__linux__)
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(table.data_ptr());
  const auto first = (begin + huge_page - 1) & ~(huge_page - 1);
  const auto last = (begin + table.nbytes()) & ~(huge_page - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
  return table.zero_();
}

}  // namespace

GateNetwork::GateNetwork(int buckets, int dim, int members, int experts, std::uint64_t seed,
                         double learning_rate)
    : dim_(dim),
      table_optimizer_(members * dim),
      generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {
  torch::manual_seed(seed);
  table_ = zero_table(buckets, members * dim);
  table_square_ = torch::zeros({buckets});
  hidden_bias_ = torch::full({members * dim}, initial_hidden_bias).requires_grad_();
  for (int m = 0; m < members; ++m)
    gates_.emplace_back(dim, experts, 1, false);
  reset_dense_optimizer(learning_rate);
}

void GateNetwork::reset_dense_optimizer(double learning_rate) {
  std::vector<torch::Tensor> dense{hidden_bias_};
  for (const auto& gate : gates_) {
    for (const auto& parameter : gate->parameters())
      dense.push_back(parameter);
  }
  dense_optimizer_ =
      std::make_unique<torch::optim::Adagrad>(dense, torch::optim::AdagradOptions(learning_rate));
}

const float* GateNetwork::gate_weight_data(int member) const {
  return gates_[static_cast<std::size_t>(member)]->route_weight.data_ptr<float>();
}

const float* GateNetwork::gate_bias_data(int member) const {
  return gates_[static_cast<std::size_t>(member)]->route_bias.data_ptr<float>();
}

std::vector<moe::GateOutput> GateNetwork::forward(const Bags& bags, const torch::Tensor& mask,
                                                  double dropout) {
  batch_bags_ = bags;
  batch_sums_ = F::embedding_bag(bags.ids, table_,
                                 F::EmbeddingBagFuncOptions()
                                     .offsets(bags.offsets)
                                     .mode(torch::kSum)
                                     .per_sample_weights(bags.weights));  // (B, M*d)
  if (torch::GradMode::is_enabled()) batch_sums_.requires_grad_();
  auto hidden = torch::relu(batch_sums_ + hidden_bias_);  // (B, M*d)
  if (dropout > 0) {
    auto keep = torch::empty_like(hidden).bernoulli_(1.0 - dropout, generator_);
    hidden = hidden * keep / (1.0 - dropout);
  }
  const auto slices = hidden.split(dim_, 1);  // M x (B, d)
  std::vector<moe::GateOutput> result;
  for (std::size_t m = 0; m < gates_.size(); ++m) {
    gates_[m]->set_expert_mask(mask);
    result.push_back(gates_[m]->forward(slices[m]));  // logits, probs: (B, E)
  }
  return result;
}

void GateNetwork::step(const torch::Tensor& loss, double learning_rate, bool update_table) {
  dense_optimizer_->zero_grad();
  loss.backward();
  if (update_table) {
    const auto gradients = batch_sums_.grad().contiguous();  // (B, M*d)
    const BagsView view{batch_bags_.ids.data_ptr<std::int64_t>(),
                        batch_bags_.weights.data_ptr<float>(),
                        static_cast<std::size_t>(batch_bags_.ids.numel()),
                        batch_bags_.offsets.data_ptr<std::int64_t>(),
                        static_cast<std::size_t>(batch_bags_.offsets.numel())};
    table_optimizer_.step(table_.data_ptr<float>(), table_square_.data_ptr<float>(), view,
                          gradients.data_ptr<float>(), learning_rate);
  }
  batch_bags_ = {};
  batch_sums_ = torch::Tensor();
  // Without the table, the hidden bias stays too: a run of rejections pushing it below zero
  // would close every ReLU and leave the gate answering one skill for everything.
  if (!update_table && hidden_bias_.grad().defined()) hidden_bias_.mutable_grad().zero_();
  for (auto& group : dense_optimizer_->param_groups()) {
    static_cast<torch::optim::AdagradOptions&>(group.options()).lr(learning_rate);
  }
  dense_optimizer_->step();
}

void GateNetwork::grow(int experts) {
  const int old = this->experts();
  if (experts <= old) return;
  for (auto& gate : gates_) {
    moe::TopKGate bigger(dim_, experts, 1, false);
    torch::NoGradGuard no_grad;
    bigger->route_weight.slice(0, 0, old).copy_(gate->route_weight);
    bigger->route_bias.slice(0, 0, old).copy_(gate->route_bias);
    gate = bigger;
  }
  const auto& options =
      static_cast<torch::optim::AdagradOptions&>(dense_optimizer_->param_groups()[0].options());
  reset_dense_optimizer(options.lr());
}

std::vector<torch::Tensor> GateNetwork::state() const {
  torch::NoGradGuard no_grad;
  // Only rows that ever learned something: the table is mostly zeros.
  auto rows = table_.abs().sum(1).nonzero().squeeze(1);
  std::vector<torch::Tensor> tensors{rows, table_.index_select(0, rows),
                                     table_square_.index_select(0, rows), hidden_bias_};
  for (const auto& gate : gates_) {
    tensors.push_back(gate->route_weight);
    tensors.push_back(gate->route_bias);
  }
  return tensors;
}

namespace {

// More would be a blob that asks for gigabytes, not a skill set.
constexpr std::int64_t max_saved_experts = 1 << 16;

}  // namespace

void GateNetwork::set_state(const std::vector<torch::Tensor>& tensors, std::size_t& next) {
  torch::NoGradGuard no_grad;
  // Everything is checked before anything changes: a blob that does not fit leaves the gate
  // as it was, and nothing is read past a tensor's end.
  require_saved(tensors.size() == next + 4 + 2 * gates_.size(), "state");
  const auto& rows = tensors[next];
  require_saved(rows.defined() && rows.scalar_type() == torch::kInt64 && rows.dim() == 1,
                "row list");
  const std::int64_t used = rows.size(0);
  require_saved(used == 0 || (rows.min().item<std::int64_t>() >= 0 &&
                              rows.max().item<std::int64_t>() < table_.size(0)),
                "row list");
  require_saved(float_shaped(tensors[next + 1], {used, table_.size(1)}), "table");
  auto square_sizes = table_square_.sizes().vec();
  square_sizes[0] = used;
  require_saved(float_shaped(tensors[next + 2], square_sizes), "Adagrad accumulators");
  require_saved(float_shaped(tensors[next + 3], hidden_bias_.sizes()), "hidden bias");
  const auto& first_gate = tensors[next + 4];
  const std::int64_t experts =
      first_gate.defined() && first_gate.dim() == 2 ? first_gate.size(0) : 0;
  require_saved(experts >= 1 && experts <= max_saved_experts, "gate");
  for (std::size_t m = 0; m < gates_.size(); ++m) {
    require_saved(float_shaped(tensors[next + 4 + 2 * m], {experts, dim_}), "gate weights");
    require_saved(float_shaped(tensors[next + 5 + 2 * m], {experts}), "gate biases");
  }

  table_.zero_();
  table_.index_copy_(0, rows, tensors[next + 1]);
  table_square_.zero_();
  table_square_.index_copy_(0, rows, tensors[next + 2]);
  hidden_bias_.copy_(tensors[next + 3]);
  next += 4;
  grow(static_cast<int>(experts));
  for (auto& gate : gates_) {
    gate->route_weight.copy_(tensors[next++]);
    gate->route_bias.copy_(tensors[next++]);
  }
}

}  // namespace requip::router::detail

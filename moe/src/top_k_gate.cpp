#include "requip/moe/top_k_gate.hpp"

#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "expert_selection.hpp"
#include "init.hpp"

namespace requip::moe {

TopKGateImpl::TopKGateImpl(int64_t d_model, int64_t experts, int64_t top_k, bool noisy)
    : experts_(experts), top_k_(top_k), selectable_(experts) {
  if (d_model < 1 || experts < 1)
    throw std::invalid_argument(
        fmt::format("gate: d_model {} and experts {} must both be at least 1", d_model, experts));
  if (top_k < 1 || top_k > experts)
    throw std::invalid_argument(
        fmt::format("gate: top_k {} must be between 1 and the {} experts", top_k, experts));
  route_weight =
      register_parameter("route_weight", detail::uniform_fan_in({experts, d_model}, d_model));
  route_bias = register_parameter("route_bias", detail::uniform_fan_in({experts}, d_model));
  if (noisy) {
    noise_weight =
        register_parameter("noise_weight", detail::uniform_fan_in({experts, d_model}, d_model));
    noise_bias = register_parameter("noise_bias", detail::uniform_fan_in({experts}, d_model));
  }
  expert_mask = register_buffer("expert_mask", torch::ones({experts}, torch::kBool));
  selection_bias = register_buffer("selection_bias", torch::zeros({experts}));
}

TopKGateImpl::TopKGateImpl(const MoeConfig& config)
    : TopKGateImpl(config.d_model, config.experts, config.top_k, config.noisy_gate) {
  if (config.bias_balancing) enable_bias_balancing(config.bias_update_rate);
}

void TopKGateImpl::set_expert_mask(const torch::Tensor& mask) {
  if (mask.dim() != 1 || mask.size(0) != experts_ || mask.scalar_type() != torch::kBool)
    throw std::invalid_argument(
        fmt::format("gate: the expert mask must be a bool tensor of {} entries", experts_));
  const int64_t selectable = mask.sum().item<int64_t>();
  if (selectable < top_k_)
    throw std::invalid_argument(
        fmt::format("gate: only {} experts left selectable, top_k needs {}; unmask more experts",
                    selectable, top_k_));
  torch::NoGradGuard no_grad;
  expert_mask.copy_(mask);
  selectable_ = selectable;
}

void TopKGateImpl::enable_bias_balancing(double rate) {
  if (!(rate > 0))
    throw std::invalid_argument(fmt::format("gate: bias update rate {} must be positive", rate));
  bias_update_rate_ = rate;
}

torch::Tensor TopKGateImpl::choose(const torch::Tensor& scores) const {
  const torch::Tensor values = scores.to(torch::kFloat32).contiguous();
  const torch::Tensor selectable = expert_mask.contiguous();
  const torch::Tensor bias = selection_bias.to(torch::kFloat32).contiguous();
  // The bias steers which experts are picked, never how much they weigh.
  const float* steering = bias_update_rate_ > 0 ? bias.data_ptr<float>() : nullptr;
  const bool* allowed = selectable.data_ptr<bool>();
  const int64_t tokens = values.size(0);
  torch::Tensor chosen = torch::empty({tokens, top_k_}, torch::kInt64);
  const float* row = values.data_ptr<float>();
  int64_t* choice = chosen.data_ptr<int64_t>();
  for (int64_t n = 0; n < tokens; ++n, row += experts_, choice += top_k_)
    detail::select_experts(row, steering, allowed, experts_, top_k_, choice);
  return chosen;
}

GateOutput TopKGateImpl::forward(const torch::Tensor& x) {
  if (x.dim() != 2 || x.size(1) != route_weight.size(1))
    throw std::invalid_argument(fmt::format("gate: input must be (tokens, {}), got {}",
                                            route_weight.size(1), fmt::join(x.sizes(), "x")));
  GateOutput out;
  out.logits = at::addmm(route_bias, x, route_weight.t());  // (N, E)
  torch::Tensor clean = out.logits;
  if (selectable_ < experts_)
    clean = clean.masked_fill(expert_mask.logical_not(), -std::numeric_limits<float>::infinity());
  torch::Tensor scores = clean;
  if (noise_weight.defined() && is_training())
    scores =
        clean + at::randn_like(clean) * at::softplus(at::addmm(noise_bias, x, noise_weight.t()));

  out.indices = choose(scores.detach());
  const torch::Tensor kept = scores.gather(-1, out.indices);  // (N, k)
  // Softmax over one kept score is always 1 and would leave the router without a gradient;
  // at k = 1 the weight is the expert's full probability instead, as in Switch.
  out.weights = top_k_ == 1 ? scores.softmax(-1).gather(-1, out.indices) : kept.softmax(-1);
  out.probs = clean.softmax(-1);
  out.expert_counts = at::bincount(out.indices.reshape(-1), {}, experts_);

  // Switch: E * sum_e f_e P_e, f_e the share of routed slots (no gradient), P_e the mean
  // probability. E counts only selectable experts, so uniform routing over them gives 1.
  const auto share = out.expert_counts.to(out.probs.scalar_type()) /
                     static_cast<double>(std::max<int64_t>(out.indices.numel(), 1));
  out.balance_loss = static_cast<double>(selectable_) * (share * out.probs.mean(0)).sum();
  out.z_loss = clean.logsumexp(-1).square().mean();

  if (bias_update_rate_ > 0 && is_training()) {
    torch::NoGradGuard no_grad;
    const auto underloaded = (1.0 / static_cast<double>(selectable_) - share).sign();
    selection_bias.add_(underloaded * expert_mask * bias_update_rate_);
  }
  return out;
}

}  // namespace requip::moe

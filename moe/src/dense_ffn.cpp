#include "requip/moe/dense_ffn.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "init.hpp"

namespace requip::moe {

DenseFfnImpl::DenseFfnImpl(int64_t d_model, int64_t d_hidden) {
  if (d_model < 1 || d_hidden < 1)
    throw std::invalid_argument(fmt::format(
        "dense ffn: d_model {} and d_hidden {} must both be at least 1", d_model, d_hidden));
  w1 = register_parameter("w1", detail::uniform_fan_in({d_model, d_hidden}, d_model));
  b1 = register_parameter("b1", detail::uniform_fan_in({d_hidden}, d_model));
  w2 = register_parameter("w2", detail::uniform_fan_in({d_hidden, d_model}, d_hidden));
  b2 = register_parameter("b2", detail::uniform_fan_in({d_model}, d_hidden));
}

torch::Tensor DenseFfnImpl::forward(const torch::Tensor& x) {
  const auto flat = x.reshape({-1, w1.size(0)});  // (N, d)
  return detail::feed_forward(flat, w1, b1, w2, b2).view(x.sizes());
}

DenseFfn dense_equivalent(const MoeConfig& config) {
  return DenseFfn(config.d_model, config.top_k * config.d_hidden);
}

}  // namespace requip::moe

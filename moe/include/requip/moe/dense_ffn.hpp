#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "requip/moe/moe_config.hpp"

namespace requip::moe {

// A plain feed-forward layer, relu(x w1 + b1) w2 + b2: the dense baseline with the same
// active FLOPs as a MoE (hidden = top_k * d_hidden), and the body of its shared experts.
class DenseFfnImpl : public torch::nn::Module {
 public:
  DenseFfnImpl(int64_t d_model, int64_t d_hidden);

  torch::Tensor forward(const torch::Tensor& x);  // (..., d) -> (..., d)

  torch::Tensor w1;  // (d, h)
  torch::Tensor b1;  // (h)
  torch::Tensor w2;  // (h, d)
  torch::Tensor b2;  // (d)
};
TORCH_MODULE(DenseFfn);

// The dense FFN that does per token what the MoE does: d -> top_k * d_hidden -> d.
DenseFfn dense_equivalent(const MoeConfig& config);

}  // namespace requip::moe

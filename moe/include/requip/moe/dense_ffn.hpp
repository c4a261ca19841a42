#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

namespace requip::moe {

// The MLP a transformer block has without experts: d -> hidden -> d with a ReLU. As the
// --dense baseline its hidden width is top_k * d_hidden, the MoE's active FLOPs per token.
class DenseFfnImpl : public torch::nn::Module {
 public:
  DenseFfnImpl(std::int64_t d_model, std::int64_t hidden);

  torch::Tensor forward(const torch::Tensor& x);  // (..., d) -> (..., d)

 private:
  torch::nn::Linear up_{nullptr};
  torch::nn::Linear down_{nullptr};
};
TORCH_MODULE(DenseFfn);

}  // namespace requip::moe

#include "requip/moe/dense_ffn.hpp"

namespace requip::moe {

DenseFfnImpl::DenseFfnImpl(std::int64_t d_model, std::int64_t hidden)
    : up_(register_module("up", torch::nn::Linear(d_model, hidden))),
      down_(register_module("down", torch::nn::Linear(hidden, d_model))) {}

torch::Tensor DenseFfnImpl::forward(const torch::Tensor& x) {
  return down_->forward(up_->forward(x).relu_());
}

}  // namespace requip::moe

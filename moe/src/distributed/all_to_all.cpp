#include "all_to_all.hpp"

#include <torch/csrc/autograd/function.h>

namespace requip::moe::detail {

namespace {

// A hand-made graph node rather than a torch::autograd::Function: the process group it needs
// in backward is not something an AutogradContext can save.
class AllToAllBackward : public torch::autograd::Node {
 public:
  AllToAllBackward(std::shared_ptr<ProcessGroup> group, std::vector<std::int64_t> send_rows,
                   std::vector<std::int64_t> recv_rows, std::vector<std::int64_t> row_shape)
      : group_(std::move(group)),
        send_rows_(std::move(send_rows)),
        recv_rows_(std::move(recv_rows)),
        row_shape_(std::move(row_shape)) {}

  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override {
    torch::Tensor grad = grads.at(0);
    // The output's rows came in by recv_rows; their gradients go back the same way.
    if (!grad.defined()) {
      std::int64_t rows = 0;
      for (std::int64_t r : recv_rows_)
        rows += r;
      std::vector<std::int64_t> shape = row_shape_;
      shape[0] = rows;
      grad = torch::zeros(shape);
    }
    return {group_->all_to_all(grad, recv_rows_, send_rows_)};
  }

 private:
  std::shared_ptr<ProcessGroup> group_;
  std::vector<std::int64_t> send_rows_;
  std::vector<std::int64_t> recv_rows_;
  std::vector<std::int64_t> row_shape_;  // the input's shape: rows and what each row holds
};

}  // namespace

torch::Tensor differentiable_all_to_all(const std::shared_ptr<ProcessGroup>& group,
                                        const torch::Tensor& input,
                                        const std::vector<std::int64_t>& send_rows,
                                        const std::vector<std::int64_t>& recv_rows) {
  torch::Tensor output = group->all_to_all(input.detach(), send_rows, recv_rows);
  if (!input.requires_grad() || !torch::GradMode::is_enabled()) return output;
  auto node = std::shared_ptr<AllToAllBackward>(
      new AllToAllBackward(group, send_rows, recv_rows, input.sizes().vec()),
      torch::autograd::deleteNode);
  node->set_next_edges(torch::autograd::collect_next_edges(input));
  torch::autograd::create_gradient_edge(output, node);
  return output;
}

}  // namespace requip::moe::detail

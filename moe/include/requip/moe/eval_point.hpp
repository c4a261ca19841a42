#pragma once

#include <cstdint>
#include <vector>

namespace requip::moe {

// One evaluation during training: mean losses, and how the experts shared the validation
// batches' token slots (eval mode, no gate noise). Plain data, so that reports need no torch.
struct EvalPoint {
  std::int64_t step = 0;
  double train_loss = 0;
  double val_loss = 0;
  std::vector<std::vector<double>> expert_load;  // [layer][expert], fractions summing to 1
  std::vector<double> max_over_mean;             // [layer]; 1.0 is perfectly balanced
  std::vector<std::int64_t> dead_experts;        // [layer]; experts that got no token
};

}  // namespace requip::moe

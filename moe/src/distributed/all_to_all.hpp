#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/types.h>

#include "requip/moe/process_group.hpp"

namespace requip::moe::detail {

// ProcessGroup::all_to_all as an autograd op: rows of `input` go out by send_rows and come in
// by recv_rows; in backward the gradient takes the mirror exchange, recv_rows out and
// send_rows in. Every rank must run backward through it, as it is a collective.
torch::Tensor differentiable_all_to_all(const std::shared_ptr<ProcessGroup>& group,
                                        const torch::Tensor& input,
                                        const std::vector<std::int64_t>& send_rows,
                                        const std::vector<std::int64_t>& recv_rows);

}  // namespace requip::moe::detail

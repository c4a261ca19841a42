#include "gradient_buckets.hpp"

#include <optional>

namespace requip::moe::detail {

struct GradientBuckets::Bucket {
  std::vector<torch::Tensor> parameters;
  std::vector<std::int64_t> offsets;  // of each parameter in `flat`
  torch::Tensor flat;                 // the gradients, end to end
  std::size_t arrived = 0;            // gradients copied in during this backward
  std::optional<PendingCollective> reduction;
  std::vector<unsigned> hooks;  // one per parameter, removed with the buckets
};

GradientBuckets::GradientBuckets(std::shared_ptr<ProcessGroup> group,
                                 std::vector<torch::Tensor> replicated,
                                 std::vector<torch::Tensor> sharded, std::int64_t bucket_bytes)
    : group_(std::move(group)), sharded_(std::move(sharded)) {
  // Backward reaches the last parameters first, so they fill the first buckets.
  std::int64_t filled = 0;
  for (auto it = replicated.rbegin(); it != replicated.rend(); ++it) {
    if (buckets_.empty() || filled * 4 >= bucket_bytes) {
      buckets_.emplace_back();
      filled = 0;
    }
    buckets_.back().parameters.push_back(*it);
    buckets_.back().offsets.push_back(filled);
    filled += it->numel();
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    Bucket& bucket = buckets_[b];
    const std::int64_t size = bucket.offsets.back() + bucket.parameters.back().numel();
    bucket.flat = torch::zeros({size});
    for (std::size_t i = 0; i < bucket.parameters.size(); ++i) {
      const std::int64_t offset = bucket.offsets[i];
      bucket.hooks.push_back(
          bucket.parameters[i].register_hook([this, b, offset](const torch::Tensor& grad) {
            on_gradient(b, offset, grad);
            return torch::Tensor();  // the gradient itself goes on unchanged
          }));
    }
  }
}

GradientBuckets::~GradientBuckets() {
  for (Bucket& bucket : buckets_) {
    for (std::size_t i = 0; i < bucket.parameters.size(); ++i)
      bucket.parameters[i].remove_hook(bucket.hooks[i]);
  }
}

void GradientBuckets::on_gradient(std::size_t b, std::int64_t offset, const torch::Tensor& grad) {
  Bucket& bucket = buckets_[b];
  bucket.flat.narrow(0, offset, grad.numel()).copy_(grad.reshape(-1));
  if (++bucket.arrived == bucket.parameters.size()) start_ready_buckets(false);
}

void GradientBuckets::start_ready_buckets(bool all) {
  while (next_to_start_ < buckets_.size()) {
    Bucket& bucket = buckets_[next_to_start_];
    if (!all && bucket.arrived < bucket.parameters.size()) return;
    bucket.reduction = group_->allreduce_sum_async(bucket.flat);
    ++next_to_start_;
  }
}

void GradientBuckets::finish() {
  start_ready_buckets(true);
  const double world = group_->world_size();
  for (Bucket& bucket : buckets_) {
    bucket.reduction->wait();
    bucket.reduction.reset();
  }
  for (Bucket& bucket : buckets_) {
    bucket.flat.div_(world);
    for (std::size_t i = 0; i < bucket.parameters.size(); ++i) {
      torch::Tensor& parameter = bucket.parameters[i];
      const torch::Tensor mean =
          bucket.flat.narrow(0, bucket.offsets[i], parameter.numel()).view_as(parameter);
      if (parameter.grad().defined())
        parameter.mutable_grad().copy_(mean);
      else
        parameter.mutable_grad() = mean.clone();
    }
    bucket.flat.zero_();
    bucket.arrived = 0;
  }
  next_to_start_ = 0;
  for (torch::Tensor& parameter : sharded_) {
    if (parameter.grad().defined()) parameter.mutable_grad().div_(world);
  }
}

}  // namespace requip::moe::detail

#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/types.h>

#include "requip/moe/process_group.hpp"

namespace requip::moe::detail {

// Data-parallel gradient averaging. Replicated parameters are packed into buckets of about
// `bucket_bytes`; a gradient hook copies each gradient into its bucket as backward produces it,
// and a full bucket starts its allreduce at once, so communication overlaps the rest of
// backward. Buckets start strictly in order, the same on every rank, as Gloo requires.
// Sharded parameters (this rank's experts) already hold the sum over every rank's tokens and
// are only divided.
class GradientBuckets {
 public:
  GradientBuckets(std::shared_ptr<ProcessGroup> group, std::vector<torch::Tensor> replicated,
                  std::vector<torch::Tensor> sharded, std::int64_t bucket_bytes = 4 << 20);
  ~GradientBuckets();
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  // After backward: starts the buckets still waiting (parameters that got no gradient count
  // as zero), waits for all, and leaves every parameter's .grad the mean over the ranks.
  void finish();

 private:
  struct Bucket;
  void on_gradient(std::size_t bucket, std::int64_t offset, const torch::Tensor& grad);
  void start_ready_buckets(bool all);

  std::shared_ptr<ProcessGroup> group_;
  std::vector<torch::Tensor> sharded_;
  std::vector<Bucket> buckets_;
  std::size_t next_to_start_ = 0;
};

}  // namespace requip::moe::detail

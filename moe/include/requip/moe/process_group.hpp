#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

namespace requip::moe {

// Where and as whom a process joins a distributed run: the torchrun variables RANK,
// WORLD_SIZE, MASTER_ADDR and MASTER_PORT.
struct Rendezvous {
  std::string master_addr = "127.0.0.1";
  std::uint16_t master_port = 29500;
  int rank = 0;
  int world_size = 1;
  // Bounds the rendezvous and every collective, so that a dead or missing rank ends the others
  // instead of hanging them.
  std::chrono::milliseconds timeout{20000};

  // Reads the variables; WORLD_SIZE unset means a single process. REQUIP_DIST_TIMEOUT (seconds)
  // overrides the timeout. Throws std::invalid_argument naming the variable and the fix.
  static Rendezvous from_environment();
};

// A collective that is under way; wait() throws a one-line std::runtime_error if it failed.
class PendingCollective {
 public:
  struct State;
  explicit PendingCollective(std::unique_ptr<State> state);
  PendingCollective(PendingCollective&&) noexcept;
  PendingCollective& operator=(PendingCollective&&) noexcept;
  ~PendingCollective();

  void wait();

 private:
  std::unique_ptr<State> state_;
};

// The ranks of a run joined through a TCP store on rank 0 and talking over Gloo. Every call is
// a collective: all ranks make the same calls in the same order. Failures (a peer gone, a
// timeout) throw std::runtime_error with one line saying which rank saw what.
class ProcessGroup {
 public:
  explicit ProcessGroup(const Rendezvous& rendezvous);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }

  // Sums `tensor` over the ranks, in place.
  void allreduce_sum(torch::Tensor& tensor);
  PendingCollective allreduce_sum_async(torch::Tensor& tensor);
  // Rows [sum(send_rows[:r]), +send_rows[r]) of `input` go to rank r; the result holds
  // recv_rows[r] rows from each rank r, in rank order.
  torch::Tensor all_to_all(const torch::Tensor& input, const std::vector<std::int64_t>& send_rows,
                           const std::vector<std::int64_t>& recv_rows);
  // send[r] goes to rank r; returns what each rank sent here.
  std::vector<std::int64_t> exchange_counts(const std::vector<std::int64_t>& send);
  // Every rank's `tensor` (same shape everywhere), stacked in rank order: (world, ...).
  torch::Tensor all_gather(const torch::Tensor& tensor);
  // Rank `root`'s tensor, copied into `tensor` on every rank.
  void broadcast(torch::Tensor& tensor, int root);

  // Seconds spent waiting for collectives since the last call: communication that computation
  // did not hide.
  double take_wait_seconds();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_;
  int world_size_;
};

}  // namespace requip::moe

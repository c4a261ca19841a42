#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "requip/core/algorithm.hpp"

namespace requip {

// What one tick of the dispatcher produced.
struct StepOutput {
  std::optional<std::string> line;
  std::string origin;  // the skill whose algorithm ran
  bool aborted = false;
  std::string failure;       // what a throwing step said; its algorithm is aborted
  bool unavailable = false;  // the failure was an Unavailable: nobody's fault, try again
};

// Runs algorithms one step per tick, always the most urgent one first. A more urgent
// algorithm pre-empts a running one, which resumes where it stopped once nothing more
// urgent is left. Among equals, the one queued first runs first.
class Dispatcher {
 public:
  static constexpr std::size_t default_capacity = 64;

  explicit Dispatcher(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  // Queues an algorithm. When the queue is full the algorithm is refused and the reason is
  // returned, so the caller can report it: nothing is dropped silently.
  std::optional<std::string> submit(Algorithm algorithm);

  // Advances the most urgent algorithm by one step; nothing if idle. A step that throws
  // aborts its algorithm and is reported in the output, never propagated.
  std::optional<StepOutput> tick();

  // The skill whose algorithm the next tick() advances; empty if idle.
  std::string next_origin();
  bool idle() const { return queue_.empty(); }
  std::size_t pending() const { return queue_.size(); }
  std::size_t capacity() const { return capacity_; }
  std::size_t refused() const { return refused_; }

 private:
  struct Entry {
    Algorithm algorithm;
    std::size_t sequence;
  };

  std::vector<Entry>::iterator most_urgent();

  std::vector<Entry> queue_;
  std::size_t capacity_;
  std::size_t next_sequence_ = 0;
  std::size_t refused_ = 0;
};

}  // namespace requip

#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace requip::serve::detail {

// The threads that run turns. A thread stuck in a skill cannot be stopped from inside the
// process, so it is written off instead: add_thread() restores the capacity it took, and
// stop() leaves it behind rather than wait on it for ever.
class TurnWorkers {
 public:
  explicit TurnWorkers(unsigned threads);
  TurnWorkers(const TurnWorkers&) = delete;
  TurnWorkers& operator=(const TurnWorkers&) = delete;
  ~TurnWorkers();

  void post(std::function<void()> work);
  // One more thread, for one written off. When a written-off thread comes back after all, a
  // thread ends, so that the count settles where it was.
  void replace_thread();
  // Runs what is queued, then ends the threads; a thread still busy after `grace` is left
  // running, detached, and so is this object's state, which it may still touch. Returns how
  // many threads were left.
  std::size_t stop(std::chrono::milliseconds grace);

 private:
  struct State;
  struct Worker {
    std::thread thread;
    bool busy = false;
  };

  void start_thread();  // under the state's lock
  static void serve(const std::shared_ptr<State>& state, Worker& worker);

  std::shared_ptr<State> state_;
};

}  // namespace requip::serve::detail

#include "turn_workers.hpp"

#include <list>

#include "requip/core/detail/library_log.hpp"

namespace requip::serve::detail {

// Shared with the threads, so that one left running past stop() still finds it.
struct TurnWorkers::State {
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable idle;
  std::deque<std::function<void()>> queue;
  std::list<Worker> workers;  // a list: a worker's address stays put while others are added
  std::size_t busy = 0;
  std::size_t replacements = 0;  // threads beyond the count asked for
  bool stopping = false;
};

TurnWorkers::TurnWorkers(unsigned threads) : state_(std::make_shared<State>()) {
  std::lock_guard lock(state_->mutex);
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    start_thread();
}

TurnWorkers::~TurnWorkers() {
  stop(std::chrono::milliseconds(0));
}

void TurnWorkers::post(std::function<void()> work) {
  {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back(std::move(work));
  }
  state_->wake.notify_one();
}

void TurnWorkers::replace_thread() {
  std::lock_guard lock(state_->mutex);
  if (state_->stopping) return;
  ++state_->replacements;
  start_thread();
}

void TurnWorkers::start_thread() {
  Worker& worker = state_->workers.emplace_back();
  worker.thread = std::thread([state = state_, &worker] { serve(state, worker); });
}

void TurnWorkers::serve(const std::shared_ptr<State>& state, Worker& worker) {
  std::unique_lock lock(state->mutex);
  while (true) {
    state->wake.wait(lock, [&] { return state->stopping || !state->queue.empty(); });
    if (state->stopping) return;
    auto work = std::move(state->queue.front());
    state->queue.pop_front();
    ++state->busy;
    worker.busy = true;
    lock.unlock();
    // The thread's barrier: work reports its own failures, this only keeps the thread alive.
    try {
      work();
    } catch (const std::exception& failure) {
      requip::detail::library_log().error("a turn failed outside its conversation: {}",
                                          failure.what());
    }
    lock.lock();
    worker.busy = false;
    --state->busy;
    if (state->busy == 0 && state->queue.empty()) state->idle.notify_all();
    if (state->replacements > 0) {
      --state->replacements;  // one written off came back: one thread too many now
      worker.thread.detach();
      return;
    }
  }
}

std::size_t TurnWorkers::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(state_->mutex);
    state_->idle.wait_for(lock, grace, [&] { return state_->busy == 0 && state_->queue.empty(); });
    state_->stopping = true;
    state_->queue.clear();  // past the grace, what has not started never will
  }
  state_->wake.notify_all();
  std::size_t left = 0;
  std::unique_lock lock(state_->mutex);
  for (auto& worker : state_->workers) {
    if (!worker.thread.joinable()) continue;
    if (worker.busy) {
      worker.thread.detach();  // stuck in a skill; it keeps `state_` alive
      ++left;
    } else {
      // Idle threads see `stopping` and end; joining waits only for that.
      lock.unlock();
      worker.thread.join();
      lock.lock();
    }
  }
  return left;
}

}  // namespace requip::serve::detail

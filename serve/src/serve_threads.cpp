#include "serve_threads.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/defer.hpp>
#include <condition_variable>
#include <limits>
#include <list>
#include <mutex>
#include <thread>

#include "requip/core/detail/library_log.hpp"

namespace requip::serve::detail {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct ServeThreads::State : std::enable_shared_from_this<State> {
  struct Thread {
    std::thread thread;
    std::atomic<std::int64_t> turn_started_ns{0};  // 0 while not inside a turn
    bool lent = false;                             // under the mutex
    std::atomic<bool> retiring{false};
    bool finished = false;  // under the mutex: detached and gone
  };

  State(boost::asio::io_context& io_, unsigned count_, std::chrono::milliseconds lend_after_)
      : io(io_), count(count_), lend_after(lend_after_) {}

  // Under the mutex.
  void start_thread() {
    Thread& added = threads.emplace_back();
    added.thread = std::thread([self = shared_from_this(), &added] { self->serve(added); });
  }

  void serve(Thread& self) {
    current = &self;
    // run_one() answers 0 once the io_context is stopped; asking stopped() per handler
    // would take the scheduler's lock once more for every handler.
    bool serving = true;
    while (serving && !self.retiring) {
      // The thread's barrier: a handler that throws costs its own connection only.
      try {
        serving = io.run_one() > 0;
      } catch (const std::exception& failure) {
        requip::detail::library_log().error("a connection's handler failed, serving goes on: {}",
                                            failure.what());
      }
    }
    std::lock_guard lock(mutex);
    // Once stop() has begun it joins (or detaches) every thread itself: a detach here would
    // race its join of this very thread.
    if (self.retiring && !stopping && self.thread.joinable()) {
      self.thread.detach();
      self.finished = true;
    }
  }

  // Every few milliseconds: a thread long inside a turn is lent to it and replaced.
  void watch() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      changed.wait_for(lock, std::chrono::milliseconds(1));
      const std::int64_t lend_before = now_ns() - lend_after.count() * 1'000'000;
      std::erase_if(threads, [](const Thread& thread) { return thread.finished; });
      std::size_t lent_now = 0;
      for (auto& thread : threads) {
        const std::int64_t started = thread.turn_started_ns;
        if (thread.lent || started == 0 || started > lend_before) continue;
        thread.lent = true;
        ++lent_now;
      }
      for (std::size_t i = 0; i < lent_now && !stopping; ++i)
        start_thread();
    }
  }

  boost::asio::io_context& io;
  const unsigned count;
  const std::chrono::milliseconds lend_after;
  std::mutex mutex;
  std::condition_variable changed;
  std::condition_variable turn_left;  // notified once stopping, as a thread leaves a turn
  std::list<Thread> threads;          // a list: each thread keeps the address of its entry
  bool stopping = false;
  std::thread watcher;
  static thread_local Thread* current;
};

thread_local ServeThreads::State::Thread* ServeThreads::State::current = nullptr;

ServeThreads::ServeThreads(boost::asio::io_context& io, unsigned threads,
                           std::chrono::milliseconds lend_after)
    : state_(std::make_shared<State>(io, std::max(1u, threads), lend_after)) {}

ServeThreads::~ServeThreads() {
  // Reached without stop() only when the server failed to start: no turn ever waits here.
  stop([] { return std::numeric_limits<std::size_t>::max(); });
}

void ServeThreads::start() {
  std::lock_guard lock(state_->mutex);
  for (unsigned i = 0; i < state_->count; ++i)
    state_->start_thread();
  state_->watcher = std::thread([state = state_] { state->watch(); });
}

void ServeThreads::defer_turn(std::function<void()> turn) {
  boost::asio::defer(state_->io, [state = state_, turn = std::move(turn)] {
    State::Thread* self = State::current;
    if (self) self->turn_started_ns = now_ns();
    turn();
    if (!self) return;
    self->turn_started_ns = 0;
    std::lock_guard lock(state->mutex);
    if (self->lent) self->retiring = true;  // its place was taken meanwhile
    if (state->stopping) state->turn_left.notify_all();
  });
}

std::size_t ServeThreads::stop(const std::function<std::size_t()>& turns_stuck) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return 0;
    state_->stopping = true;
  }
  state_->changed.notify_all();
  if (state_->watcher.joinable()) state_->watcher.join();
  state_->io.stop();
  std::size_t left = 0;
  std::unique_lock lock(state_->mutex);
  // A turn counts itself out before its thread leaves it; detaching a thread in that gap
  // would let it return into an io_context destroyed under it.
  const auto in_turn = [this] {
    return std::count_if(state_->threads.begin(), state_->threads.end(), [](const auto& thread) {
      return !thread.finished && thread.turn_started_ns != 0;
    });
  };
  if (!state_->turn_left.wait_for(lock, std::chrono::seconds(5), [&] {
        return static_cast<std::size_t>(in_turn()) <= turns_stuck();
      })) {
    requip::detail::library_log().error(
        "{} serving threads are still inside turns that have ended; they are left running",
        in_turn());
  }
  for (auto& thread : state_->threads) {
    if (thread.finished || !thread.thread.joinable()) continue;
    if (thread.turn_started_ns != 0) {
      thread.thread.detach();  // inside a turn that does not end; it keeps state_ alive
      ++left;
      continue;
    }
    lock.unlock();
    thread.thread.join();
    lock.lock();
  }
  return left;
}

}  // namespace requip::serve::detail

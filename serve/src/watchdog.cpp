#include "watchdog.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <unordered_map>

#include "requip/core/detail/library_log.hpp"

namespace requip::serve::detail {

struct Watchdog::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::multimap<Clock::time_point, std::pair<std::uint64_t, std::function<void()>>> due;
  std::unordered_map<std::uint64_t, decltype(due)::iterator> by_id;
  std::uint64_t next_id = 1;
  // When the thread wakes next. A cancel does not wake it early: it wakes at the cancelled
  // deadline, finds nothing due and sleeps again. So a turn that ends on time costs no
  // wake-up, where waking on every new earliest deadline cost one per turn.
  Clock::time_point wakes_at = Clock::time_point::max();
  bool stopping = false;
};

Watchdog::Watchdog()
    : state_(std::make_shared<State>()), thread_([state = state_] { run(state); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->due.clear();
    state_->by_id.clear();
  }
  state_->changed.notify_all();
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // ends when the callback that destroyed us returns
  } else {
    thread_.join();
  }
}

std::uint64_t Watchdog::watch(Clock::time_point deadline, std::function<void()> expire) {
  std::lock_guard lock(state_->mutex);
  const std::uint64_t id = state_->next_id++;
  auto at = state_->due.emplace(deadline, std::make_pair(id, std::move(expire)));
  state_->by_id.emplace(id, at);
  if (deadline < state_->wakes_at) state_->changed.notify_all();
  return id;
}

void Watchdog::cancel(std::uint64_t id) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->by_id.find(id);
  if (found == state_->by_id.end()) return;
  state_->due.erase(found->second);
  state_->by_id.erase(found);
}

void Watchdog::run(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mutex);
  while (!state->stopping) {
    if (state->due.empty()) {
      state->wakes_at = Clock::time_point::max();
      state->changed.wait(lock);
      state->wakes_at = Clock::time_point::min();  // awake: nobody needs to notify it
      continue;
    }
    const auto next = state->due.begin()->first;
    if (Clock::now() < next) {
      state->wakes_at = next;
      state->changed.wait_until(lock, next);
      state->wakes_at = Clock::time_point::min();
      continue;
    }
    auto expire = std::move(state->due.begin()->second.second);
    state->by_id.erase(state->due.begin()->second.first);
    state->due.erase(state->due.begin());
    lock.unlock();
    try {
      expire();
    } catch (const std::exception& failure) {
      requip::detail::library_log().error("a turn's deadline handler failed: {}", failure.what());
    }
    expire = nullptr;  // what it holds is let go here, where the lock is not held
    lock.lock();
  }
}

}  // namespace requip::serve::detail

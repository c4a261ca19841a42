#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

namespace requip::serve::detail {

// One thread that runs a callback when its deadline passes, unless it was cancelled first:
// how a turn stuck in a skill is still answered on time.
class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  // May run on the watchdog's own thread (a callback held the last reference to the owner).
  ~Watchdog();

  // Returns an id for cancel().
  std::uint64_t watch(Clock::time_point deadline, std::function<void()> expire);
  void cancel(std::uint64_t id);

 private:
  struct State;
  static void run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;  // shared with the thread, which may outlive this object
  std::thread thread_;
};

}  // namespace requip::serve::detail

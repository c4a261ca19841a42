// The threads a server runs its connections and turns on. (A thread stuck in a turn for good
// is left behind by stop(): the serve tests show that through `requip serve`, which exits.)
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "serve_threads.hpp"

using namespace std::chrono_literals;
using requip::serve::detail::ServeThreads;

namespace {

void wait_until(const std::atomic<bool>& condition) {
  while (!condition)
    std::this_thread::sleep_for(1ms);
}

}  // namespace

TEST_CASE("serve threads: stop waits for a thread on its way out of a turn that has already ended",
          "[serve][threads]") {
  boost::asio::io_context io;
  // As a server's listener does: without work, run_one() returns at once and the thread ends.
  const auto work = boost::asio::make_work_guard(io);
  std::atomic<std::size_t> turns_running{0};
  std::atomic<bool> counted_out{false};
  std::atomic<bool> left_turn{false};
  ServeThreads threads(io, 1, 10s);
  threads.start();
  threads.defer_turn([&] {
    turns_running = 1;
    turns_running = 0;  // the conversation has counted the turn out...
    counted_out = true;
    std::this_thread::sleep_for(200ms);  // ...and its thread is still on its way out
    left_turn = true;
  });
  wait_until(counted_out);
  CHECK(threads.stop([&] { return turns_running.load(); }) == 0);
  CHECK(left_turn);  // joined, not left behind to return into a destroyed io_context
}

#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace requip::serve::detail {

// The threads that run a server's io_context: its connections, and the turns deferred to it,
// so that a fast turn is answered by the thread that read it, with no hand-over. A thread
// that spends longer than `lend_after` inside one turn (a skill that waits, or is stuck) is
// lent to that turn and a new thread takes its place: waiting turns never hold up the fast
// ones. A lent thread ends when its turn does.
class ServeThreads {
 public:
  ServeThreads(boost::asio::io_context& io, unsigned threads, std::chrono::milliseconds lend_after);
  ServeThreads(const ServeThreads&) = delete;
  ServeThreads& operator=(const ServeThreads&) = delete;
  ~ServeThreads();

  void start();
  // Runs `turn` on one of the threads once the current handler returns.
  void defer_turn(std::function<void()> turn);
  // Stops the io_context and ends the threads. A turn that has ended but whose thread is
  // still on its way out is waited for: while more threads are inside a turn than
  // `turns_stuck()` counts. A thread stuck inside a turn is left running (detached) and keeps
  // using the io_context: the program should then exit. Returns how many were left.
  std::size_t stop(const std::function<std::size_t()>& turns_stuck);

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the threads
};

}  // namespace requip::serve::detail

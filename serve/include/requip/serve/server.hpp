#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "requip/serve/conversations.hpp"

namespace requip::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8765;  // 0 picks a free port; port() tells which
  std::string token;          // when set, requests need "Authorization: Bearer <token>"
  std::chrono::seconds idle_expiry{30 * 60};
  std::size_t max_body_bytes = 64 * 1024;
  // Threads serving connections and running turns. One that spends longer than
  // lend_thread_after in one turn (a skill that waits) is lent to it and replaced.
  unsigned threads = 2;
  std::chrono::milliseconds lend_thread_after{3};
  // How often continuous skills (timers, reminders) get a tick.
  std::chrono::milliseconds tick_interval{250};
  // Stop gracefully on SIGINT and SIGTERM; off when the embedding program handles signals.
  bool handle_signals = true;
  // How long a stop waits for turns in flight before answering them with an error.
  std::chrono::milliseconds stop_grace{3000};
};

// The HTTP and WebSocket face of a Conversations: REST turns, skills, health, pushed output
// and an OpenAI-compatible chat completions endpoint. Listens from construction, so that
// port() is known before run().
class Server {
 public:
  // Throws std::runtime_error naming the address that cannot be listened on.
  Server(Conversations& conversations, ServerOptions options);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  std::uint16_t port() const;
  // Serves until stop() or a signal; returns once in-flight requests are answered and every
  // connection is closed.
  void run();
  // Stops accepting, lets requests in flight finish, closes idle connections. Thread-safe.
  void stop();
  // After run(): the skills that still held a turn when the server stopped; their threads
  // are left running, so the program should exit.
  const std::vector<std::string>& stuck_skills() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace requip::serve

#include "requip/serve/server.hpp"

#include <atomic>
#include <boost/asio/defer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "api.hpp"
#include "connections.hpp"
#include "json_text.hpp"
#include "listener.hpp"
#include "requip/core/detail/library_log.hpp"
#include "serve_threads.hpp"
#include "stream_hub.hpp"
#include "turn_json.hpp"

namespace requip::serve {

namespace net = boost::asio;

namespace {

net::ip::tcp::endpoint endpoint_of(const ServerOptions& options) {
  boost::system::error_code error;
  const auto address = net::ip::make_address(options.host, error);
  if (error) {
    throw std::runtime_error("--host " + options.host +
                             " is not an IP address: use e.g. 127.0.0.1 or 0.0.0.0");
  }
  return {address, options.port};
}

}  // namespace

struct Server::State {
  State(Conversations& conversations_, ServerOptions options_)
      : options(std::move(options_)),
        conversations(conversations_),
        api(conversations, streams, options),
        context{options, api, streams, connections},
        listener(std::make_shared<Listener>(io, endpoint_of(options), context)),
        ticks(io),
        expiries(io),
        signals(io),
        threads(io, options.threads, options.lend_thread_after) {
    // Turns run on the threads that serve connections: a fast one is answered by the thread
    // that read it; one that waits gets its thread lent to it and replaced.
    conversations.run_turns_on(
        {[this](std::function<void()> turn) { threads.defer_turn(std::move(turn)); }, [] {}});
  }

  void tick_later() {
    ticks.expires_after(options.tick_interval);
    ticks.async_wait([this](boost::system::error_code error) {
      if (error) return;
      conversations.tick([this](PushedOutput pushed) {
        const nlohmann::json message = {
            {"type", "reminder"}, {"skill", pushed.skill}, {"replies", pushed.lines}};
        streams.publish(pushed.session, json_text(message));
      });
      tick_later();
    });
  }

  void expire_later() {
    // Checked a few times per expiry period, so a session outlives its expiry by a fraction.
    expiries.expires_after(std::max<std::chrono::milliseconds>(options.idle_expiry / 4,
                                                               std::chrono::milliseconds(50)));
    expiries.async_wait([this](boost::system::error_code error) {
      if (error) return;
      conversations.expire(std::chrono::steady_clock::now() - options.idle_expiry,
                           [this](const std::string& session) { return streams.watched(session); });
      expire_later();
    });
  }

  void stop() {
    net::post(io, [this] {
      if (std::exchange(stopping, true)) return;
      listener->stop();
      ticks.cancel();
      expiries.cancel();
      signals.cancel();
      connections.drain_all();
      // Off the io threads: turns in flight get a grace to end, and the ones that do not
      // are answered with an error, so every connection can close. The lock is held until
      // `ender` is assigned: the thread cannot report done before run() can see it to join,
      // which would leave a joinable thread to destroy.
      std::lock_guard assigning(done_mutex);
      ender = std::thread([this] {
        stuck = conversations.stop(options.stop_grace);
        connections.drain_all();
        connections.wait_until_closed(std::chrono::seconds(2));
        std::lock_guard lock(done_mutex);
        done = true;
        done_changed.notify_all();
      });
    });
  }

  ServerOptions options;
  Conversations& conversations;
  StreamHub streams;
  Connections connections;
  Api api;
  ServerContext context;
  // After what sessions point at: destroying it destroys the handlers still queued, and with
  // them the last owners of sessions, whose destructors leave the hub and the connections.
  net::io_context io;
  std::shared_ptr<Listener> listener;
  net::steady_timer ticks;
  net::steady_timer expiries;
  net::signal_set signals;
  bool stopping = false;
  std::thread ender;
  std::vector<std::string> stuck;
  std::mutex done_mutex;
  std::condition_variable done_changed;
  bool done = false;             // stopped, and every connection closed (or given up on)
  detail::ServeThreads threads;  // last: stopped first
};

Server::Server(Conversations& conversations, ServerOptions options)
    : state_(std::make_unique<State>(conversations, std::move(options))) {}

Server::~Server() = default;

std::uint16_t Server::port() const {
  return state_->listener->port();
}

void Server::run() {
  State& state = *state_;
  if (state.options.handle_signals) {
    state.signals.add(SIGINT);
    state.signals.add(SIGTERM);
    state.signals.async_wait([&state](boost::system::error_code error, int) {
      if (!error) state.stop();
    });
  }
  state.listener->start();
  state.tick_later();
  state.expire_later();
  {
    // Held until the threads run: a stop() before them must not lose its post.
    auto keep = net::make_work_guard(state.io);
    state.threads.start();
    std::unique_lock lock(state.done_mutex);
    state.done_changed.wait(lock, [&state] { return state.done; });
  }
  if (state.ender.joinable()) state.ender.join();
  state.threads.stop([&state] { return state.conversations.turns_running(); });
}

const std::vector<std::string>& Server::stuck_skills() const {
  return state_->stuck;
}

void Server::stop() {
  state_->stop();
}

}  // namespace requip::serve

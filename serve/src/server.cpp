#include "requip/serve/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <thread>

#include "api.hpp"
#include "connections.hpp"
#include "json_text.hpp"
#include "listener.hpp"
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
        signals(io) {}

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
      // are answered with an error, so every connection can close.
      ender = std::thread([this] {
        stuck = conversations.stop(options.stop_grace);
        connections.drain_all();
      });
    });
  }

  ServerOptions options;
  Conversations& conversations;
  net::io_context io;
  StreamHub streams;
  Connections connections;
  Api api;
  ServerContext context;
  std::shared_ptr<Listener> listener;
  net::steady_timer ticks;
  net::steady_timer expiries;
  net::signal_set signals;
  bool stopping = false;
  std::thread ender;
  std::vector<std::string> stuck;
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
  // The io_context runs out of work once every connection has closed after a stop(). Each
  // thread's entry is a barrier: a handler that throws costs its own connection only.
  const auto serve = [&state] {
    while (true) {
      try {
        state.io.run();
        return;
      } catch (const std::exception& failure) {
        spdlog::error("a connection's handler failed, serving goes on: {}", failure.what());
      }
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < std::max(1u, state.options.threads); ++i)
    helpers.emplace_back(serve);
  serve();
  for (auto& helper : helpers)
    helper.join();
  if (state.ender.joinable()) state.ender.join();
}

const std::vector<std::string>& Server::stuck_skills() const {
  return state_->stuck;
}

void Server::stop() {
  state_->stop();
}

}  // namespace requip::serve

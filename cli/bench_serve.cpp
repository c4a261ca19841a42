// `requip bench serve`: an in-process server and a load generator over loopback. Keep-alive
// HTTP connections post turns as fast as answers come back, while WebSocket streams stay open
// on the same sessions and receive every turn pushed to them.

#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench.hpp"
#include "bundled_agent.hpp"
#include "requip/serve/server.hpp"
#include "scratch_folder.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// The cheapest skill that still runs a whole turn: the server is what is measured. "slow"
// takes 200 ms, as a skill that waits on something would: the mixed scenario's slow turns.
class EchoSkill final : public Skill {
 public:
  static constexpr std::chrono::milliseconds slow_turn{200};

  std::string name() const override { return "echo"; }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    if (stimulus.ear == "slow") std::this_thread::sleep_for(slow_turn);
    return Algorithm::say(stimulus.ear);
  }
};

struct LoadSettings {
  int connections = 64;
  int streams = 1000;
  double seconds = 5;
  unsigned server_threads = 2;
  int load_threads = 1;
  int idle_conversations = 10'000;
  double hold_seconds = 0;  // the server takes outside load first, for a comparison
};

struct ServeBenchOptions {
  LoadSettings load;
  bool json = false;
};

// In the mixed scenario one connection in this many asks for the slow turn.
constexpr int slow_one_in = 8;

// One keep-alive connection posting turns back to back, timing each.
class Poster : public std::enable_shared_from_this<Poster> {
 public:
  Poster(net::io_context& io, std::string session, std::string_view text, Clock::time_point until)
      : stream_(io), until_(until) {
    request_ = {http::verb::post, "/v1/sessions/" + session + "/messages", 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::content_type, "application/json");
    request_.body() = nlohmann::json{{"text", text}}.dump();
    request_.prepare_payload();
  }

  void start(const tcp::endpoint& server) {
    stream_.async_connect(server, [self = shared_from_this()](beast::error_code error) {
      if (error) throw beast::system_error(error);
      self->post();
    });
  }
  const std::vector<double>& latencies_ms() const { return latencies_ms_; }
  // Answers that came back before the deadline: the throughput's numerator.
  long answered_in_time() const { return answered_in_time_; }

 private:
  void post() {
    sent_ = Clock::now();
    http::async_write(
        stream_, request_, [self = shared_from_this()](beast::error_code error, std::size_t) {
          if (error) throw beast::system_error(error);
          self->response_ = {};
          http::async_read(
              self->stream_, self->buffer_, self->response_,
              [self](beast::error_code read_error, std::size_t) {
                if (read_error) throw beast::system_error(read_error);
                if (self->response_.result() != http::status::ok) {
                  throw std::runtime_error("the server answered " +
                                           std::to_string(self->response_.result_int()));
                }
                const auto now = Clock::now();
                self->latencies_ms_.push_back(
                    std::chrono::duration<double, std::milli>(now - self->sent_).count());
                if (now >= self->until_) return;
                ++self->answered_in_time_;
                self->post();
              });
        });
  }

  beast::tcp_stream stream_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;
  Clock::time_point until_;
  Clock::time_point sent_;
  std::vector<double> latencies_ms_;
  long answered_in_time_ = 0;
};

// One WebSocket held open on a session, counting what is pushed to it.
class StreamWatcher : public std::enable_shared_from_this<StreamWatcher> {
 public:
  explicit StreamWatcher(net::io_context& io) : socket_(io) {}

  void start(const tcp::endpoint& server, std::string session, std::atomic<int>& opened) {
    beast::get_lowest_layer(socket_).async_connect(
        server, [self = shared_from_this(), session, &opened](beast::error_code error) {
          if (error) throw beast::system_error(error);
          self->socket_.async_handshake("127.0.0.1", "/v1/sessions/" + session + "/stream",
                                        [self, &opened](beast::error_code handshake_error) {
                                          if (handshake_error) {
                                            throw beast::system_error(handshake_error);
                                          }
                                          ++opened;
                                          self->read();
                                        });
        });
  }
  bool open() const { return socket_.is_open(); }
  int received() const { return received_; }
  void close() { beast::get_lowest_layer(socket_).close(); }

 private:
  void read() {
    socket_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return;
      ++self->received_;
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  beast::websocket::stream<beast::tcp_stream> socket_;
  beast::flat_buffer buffer_;
  int received_ = 0;
};

struct ServeFigures {
  double requests_per_s;  // of the fast connections
  double p99_ms;          // of the fast connections
  double p50_ms;
  int websocket_sessions;  // open through the whole run
  long pushed;             // frames the streams received
};

// Thousands of sockets on both ends of loopback need more than the usual 1,024 descriptors.
void raise_descriptor_limit(int needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= rlim_t(needed)) return;
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, rlim_t(needed));
  ::setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < rlim_t(needed)) {
    throw std::runtime_error(
        fmt::format("bench serve needs {} file descriptors, the hard limit is {}: lower --streams",
                    needed, limit.rlim_max));
  }
}

double percentile(std::vector<double>& values, double fraction) {
  const auto at = static_cast<std::ptrdiff_t>(fraction * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + at, values.end());
  return values[static_cast<std::size_t>(at)];
}

// Runs each io_context on a thread of its own until `deadline`.
void run_until(std::vector<net::io_context>& io, Clock::time_point deadline) {
  std::vector<std::thread> threads;
  for (auto& context : io)
    threads.emplace_back([&context, deadline] { context.run_until(deadline); });
  for (auto& thread : threads)
    thread.join();
}

// With `mixed`, one connection in slow_one_in asks for 200 ms turns; the figures are the
// other connections'.
ServeFigures measure(const LoadSettings& settings, bool mixed) {
  raise_descriptor_limit(2 * (settings.connections + settings.streams) + 64);
  auto agent = std::make_shared<Agent>();
  agent->add(skill_factory<EchoSkill>());
  serve::Conversations conversations(agent);
  serve::ServerOptions options;
  options.port = 0;
  options.threads = settings.server_threads;
  options.handle_signals = false;
  serve::Server server(conversations, options);
  std::thread serving([&server] { server.run(); });
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), server.port()};

  // The load generator's threads, as wrk's: connection i is served by io[i % threads].
  std::vector<net::io_context> io(static_cast<std::size_t>(settings.load_threads));
  const auto io_of = [&io](int i) -> net::io_context& {
    return io[static_cast<std::size_t>(i) % io.size()];
  };
  std::atomic<int> opened{0};
  std::vector<std::shared_ptr<StreamWatcher>> watchers;
  for (int i = 0; i < settings.streams; ++i) {
    watchers.push_back(std::make_shared<StreamWatcher>(io_of(i)));
    watchers.back()->start(endpoint, fmt::format("s{}", i), opened);
  }
  const auto open_by = Clock::now() + std::chrono::seconds(30);
  while (opened < settings.streams) {
    for (auto& context : io)
      context.poll_one();
    if (Clock::now() > open_by) {
      server.stop();
      serving.join();
      throw std::runtime_error(
          fmt::format("bench serve: {} of {} WebSocket streams opened in 30 s: lower --streams",
                      opened.load(), settings.streams));
    }
  }
  if (!mixed && settings.hold_seconds > 0) {
    // An outside load generator measures the very server the bench measures next.
    fmt::print(stderr,
               "bench serve: http://127.0.0.1:{} takes outside load for {:.0f} s (sessions s0 to "
               "s{} have streams open)\n",
               server.port(), settings.hold_seconds, settings.streams - 1);
    const auto held_until =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(settings.hold_seconds));
    run_until(io, held_until);  // the streams keep reading what wrk's turns push
  }

  // Each connection talks to a session with a stream open, so every turn is pushed too.
  const auto started = Clock::now();
  const auto until = started + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(settings.seconds));
  std::vector<std::shared_ptr<Poster>> posters;  // the fast ones
  std::vector<std::shared_ptr<Poster>> slow;
  for (int i = 0; i < settings.connections; ++i) {
    const bool slow_one = mixed && i % slow_one_in == 0;
    auto poster = std::make_shared<Poster>(io_of(i), fmt::format("s{}", i % settings.streams),
                                           slow_one ? "slow" : "ping", until);
    poster->start(endpoint);
    (slow_one ? slow : posters).push_back(std::move(poster));
  }
  // Watchers read for ever, so the loop is bounded by time: the deadline, then the last
  // answers in flight.
  run_until(io, until + EchoSkill::slow_turn + std::chrono::milliseconds(500));
  std::vector<double> latencies;
  long answered = 0;
  for (const auto& poster : posters) {
    latencies.insert(latencies.end(), poster->latencies_ms().begin(), poster->latencies_ms().end());
    answered += poster->answered_in_time();
  }
  if (latencies.empty()) throw std::runtime_error("bench serve: no request was answered");
  const double elapsed = std::chrono::duration<double>(until - started).count();
  ServeFigures figures{static_cast<double>(answered) / elapsed, percentile(latencies, 0.99),
                       percentile(latencies, 0.5), 0, 0};
  for (const auto& watcher : watchers) {
    figures.websocket_sessions += watcher->open() ? 1 : 0;
    figures.pushed += watcher->received();
    watcher->close();
  }
  server.stop();
  for (auto& context : io)
    context.run_for(std::chrono::milliseconds(200));
  serving.join();
  return figures;
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// What an idle conversation holds with the bundled skills and the router: `count`
// conversations each answer one greeting (making the instances it needs), then stay open.
double idle_conversation_bytes(int count) {
  ScratchFolder scratch;
  BundledAgent bundled(scratch.path() / "requip.db", UserPlugins{scratch.path().string()}, true);
  serve::Conversations conversations(bundled.agent);
  conversations.converse("warm", "hello");  // the gate trained, the libraries loaded
  const std::size_t before = resident_bytes();
  for (int i = 0; i < count; ++i)
    conversations.converse(fmt::format("idle{}", i), "hello");
  const std::size_t after = resident_bytes();
  if (conversations.sessions() != static_cast<std::size_t>(count) + 1) {
    throw std::runtime_error(fmt::format("bench serve: {} of {} conversations stayed open",
                                         conversations.sessions(), count + 1));
  }
  return static_cast<double>(after - before) / count;
}

}  // namespace

void add_bench_serve(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "serve", "requests/s and p99 latency of requip serve over loopback, with streams held open");
  auto options = std::make_shared<ServeBenchOptions>();
  LoadSettings& settings = options->load;
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--connections", settings.connections, "keep-alive HTTP connections")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  command->add_option("--streams", settings.streams, "WebSocket sessions held open")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--seconds", settings.seconds, "how long requests are sent")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--server-threads", settings.server_threads,
                   "threads of the server, serving connections and running turns")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command
      ->add_option("--load-threads", settings.load_threads,
                   "threads of the load generator, as wrk's -t")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command
      ->add_option("--hold", settings.hold_seconds,
                   "first serve this many seconds for an outside load generator (wrk), then "
                   "measure the same server")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      ->add_option("--idle-conversations", settings.idle_conversations,
                   "conversations opened to measure what an idle one holds")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  command->callback([options] {
    const LoadSettings& settings = options->load;
    const ServeFigures fast = measure(settings, false);
    const ServeFigures mixed = measure(settings, true);
    const double conversation_bytes = idle_conversation_bytes(settings.idle_conversations);
    if (options->json) {
      fmt::print("{}\n", nlohmann::json{{"requests_per_s", fast.requests_per_s},
                                        {"p99_ms", fast.p99_ms},
                                        {"websocket_sessions", fast.websocket_sessions},
                                        {"mixed_fast_p99_ms", mixed.p99_ms},
                                        {"mixed_fast_requests_per_s", mixed.requests_per_s},
                                        {"conversation_bytes", conversation_bytes}}
                             .dump());
      return;
    }
    fmt::print(
        "serve: {} keep-alive connections, {} WebSocket sessions, {:.1f} s, loopback, "
        "{} server threads\n",
        settings.connections, settings.streams, settings.seconds, settings.server_threads);
    fmt::print("                      all fast   mixed (1 in {} takes {} ms; the others')\n",
               slow_one_in, EchoSkill::slow_turn.count());
    fmt::print("  requests/s      {:>12.0f} {:>12.0f}\n", fast.requests_per_s,
               mixed.requests_per_s);
    fmt::print("  p50             {:>12.3f} {:>12.3f} ms\n", fast.p50_ms, mixed.p50_ms);
    fmt::print("  p99             {:>12.3f} {:>12.3f} ms\n", fast.p99_ms, mixed.p99_ms);
    fmt::print("  streams open    {:>12} {:>12}\n", fast.websocket_sessions,
               mixed.websocket_sessions);
    fmt::print("  frames pushed   {:>12} {:>12}\n", fast.pushed, mixed.pushed);
    fmt::print("  an idle conversation with the bundled skills: {:.0f} bytes ({} held open)\n",
               conversation_bytes, settings.idle_conversations);
  });
}

}  // namespace requip::cli

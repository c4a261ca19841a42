#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "host_protocol.hpp"
#include "requip/plugins/isolation.hpp"

namespace requip::plugins::detail {

// The requip-plugin-host executable: beside the running program, else where this build made
// it, else where it is installed. Throws PluginError naming `plugin` when there is none.
std::filesystem::path plugin_host_executable(const std::filesystem::path& plugin);

// One running requip-plugin-host serving one plugin file (see host_protocol.hpp): its
// channels, its output, its end. Thread-safe: each call takes a free channel, so calls of
// different conversations run in parallel.
class HostProcess {
 public:
  struct Options {
    std::filesystem::path plugin;
    unsigned channels = 4;
    ProcessLimits limits;
  };
  using Serve = std::function<protocol::Message(const protocol::Message& callback)>;

  // Starts the host; throws PluginError naming the plugin if it cannot.
  explicit HostProcess(Options options);
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;
  // Kills the host if it still runs: its instances are gone by now, or their conversations
  // are gone.
  ~HostProcess();

  // Sends `request` and returns its answer, answering the callbacks that come first with
  // `serve`. nullopt when the host ended first; past `deadline` the host is killed first.
  std::optional<protocol::Message> call(const protocol::Message& request, const Serve& serve,
                                        std::optional<protocol::Clock::time_point> deadline = {});
  // A call with no answer; lost if the host has ended.
  void notify(const protocol::Message& request);

  // Ends the host now; `why` is how its end is reported.
  void kill(const std::string& why);
  // How the host ended, in words that finish "the plugin's host ...", waiting for its exit
  // status; empty while it runs.
  std::string ended();

 private:
  struct Channel {
    int fd = -1;
    bool busy = false;
  };
  int take_channel();
  void give_back(int fd);
  void capture_output(int pipe);

  Options options_;
  pid_t pid_ = -1;
  std::mutex mutex_;       // the channels
  std::mutex exit_mutex_;  // the exit status
  std::condition_variable channel_free_;
  std::vector<Channel> channels_;
  std::optional<std::string> ended_;  // set once the host is reaped
  std::string killed_for_;
  int stop_output_ = -1;  // an eventfd: tells the output thread to finish
  std::thread output_;
};

}  // namespace requip::plugins::detail

#include "host_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "requip/core/detail/library_log.hpp"
#include "requip/plugins/plugin_error.hpp"

extern char** environ;

namespace requip::plugins::detail {

namespace {

// Every host alive, killed when the program exits, so that none outlives its agent: not even
// one whose agent exits while a turn is still inside a call to it.
struct LiveHosts {
  std::mutex mutex;
  std::set<pid_t> pids;
  std::atomic<bool> exiting{false};
};

LiveHosts& live_hosts() {
  static auto* hosts = new LiveHosts;  // never destroyed: the exit handler uses it
  return *hosts;
}

void kill_live_hosts() {
  LiveHosts& hosts = live_hosts();
  hosts.exiting = true;  // from here on, the output threads log nothing: the log is going
  std::lock_guard lock(hosts.mutex);
  for (pid_t pid : hosts.pids)
    ::kill(pid, SIGKILL);
}

void track(pid_t pid) {
  static std::once_flag registered;
  std::call_once(registered, [] {
    requip::detail::library_log();  // made first, so it is destroyed after the handler ran
    std::atexit(kill_live_hosts);
  });
  std::lock_guard lock(live_hosts().mutex);
  live_hosts().pids.insert(pid);
}

void untrack(pid_t pid) {
  std::lock_guard lock(live_hosts().mutex);
  live_hosts().pids.erase(pid);
}

// A descriptor well above the ones the host's channels take, so that placing one never
// overwrites another.
int moved_high(int fd) {
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 64);
  ::close(fd);
  return moved;
}

std::string describe_exit(int status, const ProcessLimits& limits) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::sigabbrev_np(signal);
    // Nothing crashes with SIGKILL: someone, the kernel's OOM killer say, ended it.
    return fmt::format("{} with SIG{}", signal == SIGKILL ? "was killed" : "crashed",
                       name ? name : std::to_string(signal));
  }
  const int code = WEXITSTATUS(status);
  if (code == protocol::exit_out_of_memory) {
    return fmt::format("ran out of memory at its limit of {} MiB (raise it with --plugin-memory)",
                       limits.memory_bytes >> 20);
  }
  return code == 0 ? std::string("exited") : fmt::format("exited with status {}", code);
}

}  // namespace

std::filesystem::path plugin_host_executable(const std::filesystem::path& plugin) {
  std::vector<std::filesystem::path> candidates;
  std::error_code error;
  const auto self = std::filesystem::canonical("/proc/self/exe", error);
  if (!error) candidates.push_back(self.parent_path() / "requip-plugin-host");
  candidates.emplace_back(REQUIP_PLUGIN_HOST_BUILT);
  candidates.emplace_back(REQUIP_PLUGIN_HOST_INSTALLED);
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw PluginError(plugin,
                    "cannot run out of process: requip-plugin-host is not installed beside "
                    "requip; reinstall requip, or load it with --isolation inprocess");
}

HostProcess::HostProcess(Options options) : options_(std::move(options)) {
  const std::filesystem::path executable = plugin_host_executable(options_.plugin);
  std::vector<int> child_ends;
  auto fail = [&](const std::string& what) {
    for (int fd : child_ends)
      ::close(fd);
    for (auto& channel : channels_)
      ::close(channel.fd);
    channels_.clear();
    throw PluginError(options_.plugin, fmt::format("cannot start its host process: {} ({})", what,
                                                   ::strerror(errno)));
  };
  for (unsigned i = 0; i < options_.channels; ++i) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) fail("socketpair");
    channels_.push_back({pair[0], false});
    child_ends.push_back(moved_high(pair[1]));
  }
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0) fail("pipe");
  child_ends.push_back(moved_high(output[1]));
  const int output_end = child_ends.back();

  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  for (unsigned i = 0; i < options_.channels; ++i)
    ::posix_spawn_file_actions_adddup2(&actions, child_ends[i],
                                       protocol::first_channel_fd + static_cast<int>(i));
  ::posix_spawn_file_actions_adddup2(&actions, output_end, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, output_end, STDERR_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  sigset_t signals;
  ::sigemptyset(&signals);
  ::posix_spawnattr_setsigmask(&attributes, &signals);
  ::sigaddset(&signals, SIGPIPE);
  ::sigaddset(&signals, SIGTERM);
  ::sigaddset(&signals, SIGINT);
  ::posix_spawnattr_setsigdefault(&attributes, &signals);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = {executable.string(),
                                   "--channels",
                                   std::to_string(options_.channels),
                                   "--memory-limit",
                                   std::to_string(options_.limits.memory_bytes),
                                   "--",
                                   options_.plugin.string()};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int spawned =
      ::posix_spawn(&pid_, executable.c_str(), &actions, &attributes, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    errno = spawned;
    ::close(output[0]);
    fail(executable.string());
  }
  for (int fd : child_ends)
    ::close(fd);
  track(pid_);
  stop_output_ = ::eventfd(0, EFD_CLOEXEC);
  output_ = std::thread([this, pipe = output[0]] { capture_output(pipe); });
}

HostProcess::~HostProcess() {
  for (auto& channel : channels_)
    ::close(channel.fd);  // the host exits when its channels close
  ended();  // reaps it: a host busy in a hook, which does not see them close, is killed
  const std::uint64_t stop = 1;
  [[maybe_unused]] auto written = ::write(stop_output_, &stop, sizeof stop);
  output_.join();
  ::close(stop_output_);
}

int HostProcess::take_channel() {
  std::unique_lock lock(mutex_);
  while (true) {
    for (auto& channel : channels_) {
      if (channel.busy) continue;
      channel.busy = true;
      return channel.fd;
    }
    channel_free_.wait(lock);
  }
}

void HostProcess::give_back(int fd) {
  {
    std::lock_guard lock(mutex_);
    for (auto& channel : channels_) {
      if (channel.fd == fd) channel.busy = false;
    }
  }
  channel_free_.notify_one();
}

std::optional<protocol::Message> HostProcess::call(
    const protocol::Message& request, const Serve& serve,
    std::optional<protocol::Clock::time_point> deadline) {
  const int fd = take_channel();
  struct GiveBack {
    HostProcess& host;
    int fd;
    ~GiveBack() { host.give_back(fd); }
  } give_back{*this, fd};
  if (!protocol::write_frame(fd, request)) return std::nullopt;
  protocol::Message message;
  while (true) {
    switch (protocol::read_frame(fd, message, deadline, protocol::awake_between_calls)) {
      case protocol::ReadEnd::closed:
        return std::nullopt;
      case protocol::ReadEnd::timed_out:
        kill("was killed: it did not answer in time");
        return std::nullopt;
      case protocol::ReadEnd::malformed:
        kill("was killed: it wrote something other than the protocol on its channel");
        return std::nullopt;
      case protocol::ReadEnd::read:
        break;
    }
    if (!message.contains("callback")) return message;
    protocol::Message answer;
    try {
      answer = serve(message);
    } catch (const std::exception& error) {
      // The channel is mid-call and cannot be resynchronised: the host goes.
      kill(fmt::format("was killed: a callback could not be answered ({})", error.what()));
      return std::nullopt;
    }
    if (!protocol::write_frame(fd, answer)) return std::nullopt;
  }
}

void HostProcess::notify(const protocol::Message& request) {
  const int fd = take_channel();
  protocol::write_frame(fd, request);
  give_back(fd);
}

void HostProcess::kill(const std::string& why) {
  std::lock_guard lock(exit_mutex_);
  if (ended_) return;
  if (killed_for_.empty()) killed_for_ = why;
  ::kill(pid_, SIGKILL);
}

std::string HostProcess::ended() {
  std::lock_guard lock(exit_mutex_);
  if (ended_) return *ended_;
  int status = 0;
  pid_t reaped = 0;
  // Its channels closed, so it is ending: a moment for its status, then the signal.
  for (int wait = 0; wait < 500 && (reaped = ::waitpid(pid_, &status, WNOHANG)) == 0; ++wait)
    ::usleep(200);
  if (reaped == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  untrack(pid_);
  ended_ = killed_for_.empty() ? describe_exit(status, options_.limits) : killed_for_;
  return *ended_;
}

void HostProcess::capture_output(int pipe) {
  const std::string name = options_.plugin.filename().string();
  auto log = [&](std::string_view line) {
    if (!line.empty() && !live_hosts().exiting) {
      requip::detail::library_log().info("plugin {}: {}", name, line);
    }
  };
  std::string pending;
  char buffer[4096];
  pollfd watched[2] = {{pipe, POLLIN, 0}, {stop_output_, POLLIN, 0}};
  bool stopping = false;
  while (true) {
    // Once told to stop, whatever is already in the pipe is still read; then it ends.
    const int ready = ::poll(watched, stopping ? 1 : 2, stopping ? 0 : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    if (!stopping && (watched[1].revents & POLLIN)) {
      stopping = true;
      continue;
    }
    const ssize_t got = ::read(pipe, buffer, sizeof buffer);
    if (got <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(got));
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
      log(std::string_view(pending).substr(0, end));
      pending.erase(0, end + 1);
    }
    if (pending.size() > sizeof buffer) log(std::exchange(pending, {}));
  }
  log(pending);
  ::close(pipe);
}

}  // namespace requip::plugins::detail

#include "rank_launcher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace requip::cli {

namespace {

// A port the kernel just handed out: free now, and rank 0 binds it a moment later.
int free_local_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) close(fd);
  if (!ok) throw std::runtime_error("--nproc: cannot find a free port on 127.0.0.1");
  return ntohs(address.sin_port);
}

// One rank's process and the read ends of its standard output and error.
struct Rank {
  pid_t pid = -1;
  int streams[2] = {-1, -1};  // stdout, stderr; -1 once closed
  std::string pending[2];     // an unfinished last line per stream
  bool running = true;
};

Rank start_rank(const std::vector<std::string>& args, int rank, int ranks, int port) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("--nproc: cannot create pipes");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("--nproc: cannot fork a rank");
  if (pid == 0) {
    // A rank must not outlive its launcher, whatever ends the launcher.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]})
      close(fd);
    setenv("RANK", std::to_string(rank).c_str(), 1);
    setenv("WORLD_SIZE", std::to_string(ranks).c_str(), 1);
    setenv("MASTER_ADDR", "127.0.0.1", 1);
    setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
    std::vector<char*> argv;
    for (const std::string& arg : args)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  Rank started;
  started.pid = pid;
  started.streams[0] = out[0];
  started.streams[1] = err[0];
  return started;
}

void forward_lines(Rank& rank, int stream, int index, const char* chunk, std::size_t size) {
  std::string& pending = rank.pending[stream];
  pending.append(chunk, size);
  std::FILE* to = stream == 0 ? stdout : stderr;
  for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
    fmt::print(to, "[rank {}] {}\n", index, std::string_view(pending).substr(0, end));
    pending.erase(0, end + 1);
  }
  std::fflush(to);
}

// (rank, stream) of every output stream still open.
std::vector<std::pair<int, int>> owner_of_open_streams(const std::vector<Rank>& children) {
  std::vector<std::pair<int, int>> open;
  for (std::size_t r = 0; r < children.size(); ++r) {
    for (int s = 0; s < 2; ++s) {
      if (children[r].streams[s] >= 0) open.emplace_back(static_cast<int>(r), s);
    }
  }
  return open;
}

// The exit code of a finished rank: its own, or 128 + the signal that ended it.
int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::vector<std::string> command_line_without_nproc() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) {
    if (arg == "--nproc") {
      std::getline(in, arg, '\0');
      continue;
    }
    if (!arg.starts_with("--nproc=")) args.push_back(arg);
  }
  return args;
}

int launch_local_ranks(int ranks, const std::vector<std::string>& args) {
  const int port = free_local_port();
  std::vector<Rank> children;
  for (int r = 0; r < ranks; ++r)
    children.push_back(start_rank(args, r, ranks, port));

  int result = 0;
  // When the ranks that ignore SIGTERM get SIGKILL; never until one has failed.
  auto kill_at = std::chrono::steady_clock::time_point::max();
  // Until every rank has ended and every line it wrote has come through.
  for (int running = ranks; running > 0 || !owner_of_open_streams(children).empty();) {
    const std::vector<std::pair<int, int>> owner = owner_of_open_streams(children);
    std::vector<pollfd> fds;
    for (auto [r, s] : owner)
      fds.push_back({children[r].streams[s], POLLIN, 0});
    poll(fds.data(), fds.size(), 100);
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto [r, s] = owner[i];
      char chunk[4096];
      const ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
      if (got > 0) {
        forward_lines(children[r], s, r, chunk, static_cast<std::size_t>(got));
      } else {
        close(fds[i].fd);
        children[r].streams[s] = -1;
        if (!children[r].pending[s].empty()) forward_lines(children[r], s, r, "\n", 1);
      }
    }
    for (int r = 0; r < ranks; ++r) {
      Rank& child = children[r];
      int status = 0;
      if (!child.running || waitpid(child.pid, &status, WNOHANG) != child.pid) continue;
      child.running = false;
      --running;
      const int code = exit_code(status);
      if (code == 0 || result != 0) continue;
      result = 1;
      fmt::print(stderr, "requip: rank {} failed with exit code {}; stopping the other ranks\n", r,
                 code);
      for (const Rank& other : children) {
        if (other.running) kill(other.pid, SIGTERM);
      }
      kill_at = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    }
    if (std::chrono::steady_clock::now() > kill_at) {
      for (const Rank& other : children) {
        if (other.running) kill(other.pid, SIGKILL);
      }
      kill_at = std::chrono::steady_clock::time_point::max();
    }
  }
  return result;
}

}  // namespace requip::cli

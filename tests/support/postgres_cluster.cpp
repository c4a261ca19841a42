#include "postgres_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "subprocess.hpp"

namespace requip::test {

namespace fs = std::filesystem;

namespace {

// Debian installs each major version of PostgreSQL side by side; the newest one is used.
std::optional<fs::path> postgres_bin_dir() {
  std::optional<fs::path> newest;
  double newest_version = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const fs::path bin = entry.path() / "bin";
    if (!fs::exists(bin / "postgres") || !fs::exists(bin / "initdb")) continue;
    // A number: "15", or "9.6" before version 10.
    const double version = std::strtod(entry.path().filename().c_str(), nullptr);
    if (version > newest_version) {
      newest_version = version;
      newest = bin;
    }
  }
  return newest;
}

// Who runs PostgreSQL's programs. The server refuses to run as root, so root hands them to
// `nobody`; anyone else runs them as themselves.
struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
  bool switch_to = false;  // whether the child must drop root for this account
};

std::optional<Account> server_account() {
  if (::geteuid() != 0) return Account{::geteuid(), ::getegid(), false};
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) return std::nullopt;
  return Account{nobody->pw_uid, nobody->pw_gid, true};
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv)
    line += (line.empty() ? "" : " ") + arg;
  return line;
}

// The last lines of a log from `offset` on, on one line, for an error message.
std::string log_tail(const fs::path& log, std::streamoff offset = 0) {
  std::ifstream in(log);
  in.seekg(offset);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  std::string tail;
  for (std::size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i)
    tail += (tail.empty() ? "" : " | ") + lines[i];
  return tail.empty() ? "(empty log)" : tail;
}

// In the child of spawn(): says why in the log and ends.
[[noreturn]] void fail_in_child(const char* why) {
  const std::string_view message = why;
  const ssize_t written = ::write(STDERR_FILENO, message.data(), message.size());
  ::_exit(written < 0 ? 125 : 126);  // 125: nor could it say why
}

// Starts argv as `account`, in `folder`, appending both output streams to `log`. The child
// inherits no other descriptor of the test: ctest waits for the test's output pipes to close,
// so a server holding one would hang it. With `die_with_parent`, the child is sent SIGQUIT
// (PostgreSQL's immediate shutdown) when the thread that started it ends, however it ends.
pid_t spawn(const std::vector<std::string>& argv, const Account& account, const fs::path& folder,
            const fs::path& log, bool die_with_parent) {
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t child = log_fd >= 0 && null_fd >= 0 ? ::fork() : -1;
  if (child == 0) {
    // Only system calls from here on: another thread of the test may hold malloc's lock.
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    if (account.switch_to && (::setgroups(0, nullptr) != 0 || ::setgid(account.gid) != 0 ||
                              ::setuid(account.uid) != 0)) {
      fail_in_child("cannot switch to the server's account\n");
    }
    // After setuid, which clears the death signal.
    if (die_with_parent && (::prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || ::getppid() != parent))
      fail_in_child("cannot tie the server's life to the test's\n");
    if (::chdir(folder.c_str()) != 0) fail_in_child("cannot enter the cluster's folder\n");
    ::execv(args[0], args.data());
    fail_in_child("cannot execute the program\n");
  }
  if (log_fd >= 0) ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  if (child < 0) throw std::runtime_error("cannot start " + command_line(argv));
  return child;
}

void run_to_end(const std::vector<std::string>& argv, const Account& account,
                const fs::path& folder, const fs::path& log) {
  const pid_t child = spawn(argv, account, folder, log, false);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  throw std::runtime_error(
      fmt::format("`{}` failed with status {:#x}: {}", command_line(argv), status, log_tail(log)));
}

void give_to(const fs::path& path, const Account& account) {
  if (account.switch_to && ::chown(path.c_str(), account.uid, account.gid) != 0)
    throw std::runtime_error("cannot chown " + path.string() + " to the server's account");
}

// initdb costs about a second of CPU, more than the rest of a test, so it runs once per machine
// and PostgreSQL version: each cluster copies this data folder. A concurrent test that loses the
// race to create it uses the winner's; the rename makes the folder appear complete or not at all.
// Copying costs about 10 ms of CPU a megabyte here: 1 MB WAL segments instead of 16 shrink the
// folder from 39 MB to 24 MB.
fs::path template_data(const fs::path& bin, const Account& account) {
  // Bump the suffix when the initdb options change, so that an old template is not reused.
  const fs::path cached =
      fs::temp_directory_path() / fmt::format("requip-postgres-{}-uid{}-template2",
                                              bin.parent_path().filename().string(), account.uid);
  // Another user could have planted a folder under that name in /tmp.
  const auto usable = [&] {
    struct stat info {};
    return ::stat(cached.c_str(), &info) == 0 && info.st_uid == account.uid &&
           fs::exists(cached / "PG_VERSION");
  };
  if (usable()) return cached;
  TempDir staging;
  give_to(staging.path(), account);
  run_to_end(
      {(bin / "initdb").string(), "--pgdata=" + (staging / "data").string(), "--username=postgres",
       "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--wal-segsize=1"},
      account, staging.path(), staging / "initdb.log");
  std::error_code lost_the_race;
  fs::rename(staging / "data", cached, lost_the_race);
  if (!usable()) throw std::runtime_error("cannot create the template cluster " + cached.string());
  return cached;
}

// A port free now. Another process may take it before the server binds it: try_start() then
// reports it and the constructor asks for another.
int free_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = probe >= 0 &&
                     ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (probe >= 0) ::close(probe);
  if (!bound) throw std::runtime_error("cannot find a free TCP port on 127.0.0.1");
  return ntohs(address.sin_port);
}

void stop_server(pid_t server) {
  ::kill(server, SIGQUIT);
  ::waitpid(server, nullptr, 0);
}

// The servers and folders of the clusters alive in this process. std::exit skips the
// destructors of local objects: the atexit handler stops what they would have.
struct Live {
  pid_t owner;  // a forked child inherits this table but not the servers
  pid_t server;
  fs::path folder;
};
std::mutex live_mutex;
std::map<const PostgresCluster*, Live>* live = nullptr;

void stop_all_at_exit() {
  std::lock_guard lock(live_mutex);
  for (const auto& [cluster, entry] : *live) {
    if (entry.owner != ::getpid()) continue;
    if (entry.server > 0) stop_server(entry.server);
    std::error_code ignored;
    fs::remove_all(entry.folder, ignored);
  }
  live->clear();
}

void remember(const PostgresCluster* cluster, const fs::path& folder) {
  std::lock_guard lock(live_mutex);
  if (live == nullptr) {
    // Never destroyed: a cluster that is itself a static object may outlive any other static.
    live = new std::map<const PostgresCluster*, Live>;
    std::atexit(stop_all_at_exit);
  }
  (*live)[cluster] = Live{::getpid(), -1, folder};
}

void note_server(const PostgresCluster* cluster, pid_t server) {
  std::lock_guard lock(live_mutex);
  (*live)[cluster].server = server;
}

void forget(const PostgresCluster* cluster) {
  std::lock_guard lock(live_mutex);
  live->erase(cluster);
}

}  // namespace

std::optional<std::string> PostgresCluster::unavailable_reason() {
  if (!postgres_bin_dir())
    return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): run script/setup";
  if (!server_account()) return "running as root, and no user `nobody` to run PostgreSQL as";
  return std::nullopt;
}

PostgresCluster::PostgresCluster() : data_(folder_ / "data"), owner_(::getpid()) {
  if (auto reason = unavailable_reason()) throw std::runtime_error(*reason);
  const Account account = *server_account();
  give_to(folder_.path(), account);
  // cp -a keeps the owner, the server's account, when root copies.
  const std::string template_folder = template_data(*postgres_bin_dir(), account).string();
  const auto copied = run_process({"/bin/cp", "-a", template_folder, data_.string()});
  if (copied.exit_code != 0)
    throw std::runtime_error("`cp -a " + template_folder + "` failed: " + copied.err);
  remember(this, folder_.path());
  try {
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = free_port();
      if (try_start()) return;
    }
    throw std::runtime_error("no free port for PostgreSQL after 5 attempts: " +
                             log_tail(log_file()));
  } catch (...) {
    // No destructor runs for a constructor that throws.
    forget(this);
    throw;
  }
}

PostgresCluster::~PostgresCluster() {
  if (owner_ != ::getpid()) return;
  if (running()) stop_server(server_);
  forget(this);
}

std::string PostgresCluster::uri(std::string_view database) const {
  return fmt::format("postgresql://postgres@127.0.0.1:{}/{}", port_, database);
}

std::string PostgresCluster::fresh_database() {
  const std::string name = fmt::format("test_{}", ++databases_created_);
  pqxx::connection connection(uri());
  pqxx::nontransaction work(connection);
  work.exec0("CREATE DATABASE " + name);
  return uri(name);
}

void PostgresCluster::stop() {
  if (!running()) throw std::logic_error("the PostgreSQL cluster is not running");
  stop_server(server_);
  server_ = -1;
  note_server(this, -1);
}

void PostgresCluster::start() {
  if (running()) throw std::logic_error("the PostgreSQL cluster is already running");
  if (!try_start())
    throw std::runtime_error(fmt::format("port {} was taken while PostgreSQL was stopped: {}",
                                         port_, log_tail(log_file())));
}

bool PostgresCluster::try_start() {
  const fs::path bin = *postgres_bin_dir();
  std::vector<std::string> argv{(bin / "postgres").string(), "-D", data_.string(), "-p",
                                std::to_string(port_)};
  // TCP on 127.0.0.1 only: without a Unix socket there is no socket folder for the server's
  // account to write into, and no lock file that clusters could fight over.
  // Fast rather than durable, since a test's data lives as long as the test. fsync=off still
  // writes each commit to the WAL before returning, so committed rows survive stop(); with
  // synchronous_commit=off they would not.
  for (const char* setting :
       {"listen_addresses=127.0.0.1", "unix_socket_directories=", "fsync=off",
        "full_page_writes=off", "shared_buffers=16MB", "max_connections=50"}) {
    argv.insert(argv.end(), {"-c", setting});
  }
  std::error_code no_log_yet;
  const auto log_start = static_cast<std::streamoff>(fs::file_size(log_file(), no_log_yet));
  server_ = spawn(argv, *server_account(), folder_.path(), log_file(), true);
  note_server(this, server_);
  // The server marks its pid file "ready" once it accepts connections, as pg_ctl -w waits for.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(server_, &status, WNOHANG) == server_) {
      server_ = -1;
      note_server(this, -1);
      const std::string tail = log_tail(log_file(), log_start);
      if (tail.find("Address already in use") != std::string::npos) return false;
      throw std::runtime_error(
          fmt::format("`{}` exited with status {:#x}: {}", command_line(argv), status, tail));
    }
    std::ifstream pid_file(data_ / "postmaster.pid");
    std::vector<std::string> lines;
    for (std::string line; std::getline(pid_file, line);)
      lines.push_back(line);
    // Line 1 is the server's pid, line 8 its status; a pid file left by a killed server is stale.
    if (lines.size() >= 8 && lines[0] == std::to_string(server_) && lines[7].starts_with("ready"))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop();
  throw std::runtime_error(fmt::format("`{}` was not ready after 2 minutes: {}", command_line(argv),
                                       log_tail(log_file(), log_start)));
}

}  // namespace requip::test

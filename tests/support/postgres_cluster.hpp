#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "temp_dir.hpp"

namespace requip::test {

// A private, throw-away PostgreSQL server for one test: its own data folder in a temporary
// folder, its own free port on 127.0.0.1, trust authentication for the superuser `postgres`.
// Started by the constructor, stopped and removed by the destructor.
//
// The server is a child of the thread that constructs the cluster and is killed when that
// thread ends, even by a crash or a ctest timeout, so that no server outlives its test: keep a
// cluster on the thread that created it. Run as root, the server runs as `nobody`, since
// PostgreSQL refuses to run as root.
class PostgresCluster {
 public:
  // Why no cluster can run on this machine (PostgreSQL is not installed, say), or nothing if
  // one can. Tests that need a server print it and return:
  //   if (auto reason = PostgresCluster::unavailable_reason()) { WARN(*reason); return; }
  static std::optional<std::string> unavailable_reason();

  // Throws std::runtime_error naming the step that failed and the end of its log.
  PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  ~PostgresCluster();

  // The libpq URI of the database `postgres`: postgresql://postgres@127.0.0.1:PORT/postgres.
  std::string uri() const { return uri("postgres"); }
  std::string uri(std::string_view database) const;
  // Creates an empty database under a name no earlier call returned, and gives its URI: one per
  // test keeps tests that share a cluster apart.
  std::string fresh_database();

  // Kills the server the way a crash would (an immediate shutdown: no checkpoint), keeping its
  // data and port. Committed transactions survive, as after a crash of the server alone.
  void stop();
  // Starts the server again on the same data and port, after stop().
  void start();
  bool running() const { return server_ > 0; }

  int port() const { return port_; }
  // The server's log, to show when a test fails.
  std::filesystem::path log_file() const { return folder_ / "server.log"; }

 private:
  // Starts the server on port_; false if that port was taken meanwhile.
  bool try_start();

  TempDir folder_;
  std::filesystem::path data_;
  int port_ = 0;
  pid_t server_ = -1;
  pid_t owner_ = -1;  // the process that started the server: a forked copy must not stop it
  int databases_created_ = 0;
};

}  // namespace requip::test

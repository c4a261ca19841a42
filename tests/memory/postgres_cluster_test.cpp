#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "postgres_cluster.hpp"

using requip::test::PostgresCluster;

namespace {

// The cluster a forked copy of this test started before ending with `end`, as that copy
// reported it: its URI and its folder.
struct ClusterOfEndedProcess {
  std::string uri;
  std::filesystem::path folder;
};

ClusterOfEndedProcess cluster_of_process_ended_by(void (*end)()) {
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  std::fflush(nullptr);  // or the copy prints this process's pending output again
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_ends[0]);
    try {
      // Never destroyed: `end` leaves the scope without unwinding.
      PostgresCluster cluster;
      const std::string report =
          cluster.uri() + "\n" + cluster.log_file().parent_path().string() + "\n";
      if (::write(pipe_ends[1], report.data(), report.size()) != ssize_t(report.size())) ::_exit(1);
      ::close(pipe_ends[1]);
      end();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(pipe_ends[1]);
  std::string report;
  char chunk[512];
  for (ssize_t got; (got = ::read(pipe_ends[0], chunk, sizeof chunk)) > 0;)
    report.append(chunk, std::size_t(got));
  ::close(pipe_ends[0]);
  ::waitpid(child, nullptr, 0);
  std::istringstream lines(report);
  ClusterOfEndedProcess cluster;
  std::string folder;
  std::getline(lines, cluster.uri);
  std::getline(lines, folder);
  cluster.folder = folder;
  REQUIRE_FALSE(cluster.uri.empty());
  return cluster;
}

bool accepts_connections(const std::string& uri) {
  try {
    pqxx::connection connection(uri);
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;
  }
}

}  // namespace

TEST_CASE("a private PostgreSQL cluster answers queries on its own port", "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  PostgresCluster cluster;
  pqxx::connection connection(cluster.uri());
  pqxx::work work(connection);
  REQUIRE(work.exec1("SELECT 1")[0].as<int>() == 1);
  REQUIRE(work.exec1("SELECT current_setting('port')")[0].as<int>() == cluster.port());
  REQUIRE(connection.server_version() >= 100000);
}

TEST_CASE("each fresh database starts empty", "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  PostgresCluster cluster;
  const std::string first = cluster.fresh_database(), second = cluster.fresh_database();
  REQUIRE(first != second);
  {
    pqxx::connection connection(first);
    pqxx::work work(connection);
    work.exec0("CREATE TABLE notes (text TEXT)");
    work.exec0("INSERT INTO notes VALUES ('only in the first')");
    work.commit();
  }
  pqxx::connection connection(second);
  pqxx::work work(connection);
  REQUIRE(work.exec1("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0].as<int>() ==
          0);
}

TEST_CASE("a stopped cluster refuses connections and serves its data again after start",
          "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  PostgresCluster cluster;
  const std::string database = cluster.fresh_database();
  {
    pqxx::connection connection(database);
    pqxx::work work(connection);
    work.exec0("CREATE TABLE notes (text TEXT)");
    work.exec0("INSERT INTO notes VALUES ('committed before the stop')");
    work.commit();
  }
  const int port = cluster.port();
  cluster.stop();
  REQUIRE_FALSE(cluster.running());
  REQUIRE_THROWS_AS(pqxx::connection(database), pqxx::broken_connection);

  cluster.start();
  REQUIRE(cluster.port() == port);
  pqxx::connection connection(database);
  pqxx::work work(connection);
  REQUIRE(work.exec1("SELECT text FROM notes")[0].as<std::string>() == "committed before the stop");
}

TEST_CASE("a destroyed cluster leaves neither a server nor its folder behind",
          "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  std::string uri;
  std::filesystem::path folder;
  {
    PostgresCluster cluster;
    uri = cluster.uri();
    folder = cluster.log_file().parent_path();
    REQUIRE(std::filesystem::exists(folder));
  }
  REQUIRE_THROWS_AS(pqxx::connection(uri), pqxx::broken_connection);
  REQUIRE_FALSE(std::filesystem::exists(folder));
}

TEST_CASE("a cluster left behind by std::exit still stops and leaves no folder",
          "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  const auto cluster = cluster_of_process_ended_by([] { std::exit(0); });
  REQUIRE_FALSE(accepts_connections(cluster.uri));
  REQUIRE_FALSE(std::filesystem::exists(cluster.folder));
}

TEST_CASE("a cluster stops when its process is killed", "[memory][postgres]") {
  if (auto reason = PostgresCluster::unavailable_reason()) {
    WARN(*reason);
    return;
  }
  const auto cluster = cluster_of_process_ended_by([] { ::raise(SIGKILL); });
  // The server learns of the death by a signal and shuts down on its own time; it removes its
  // pid file last.
  const auto pid_file = cluster.folder / "data" / "postmaster.pid";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::filesystem::exists(pid_file) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const bool server_ended = !std::filesystem::exists(pid_file);
  const bool still_accepts = accepts_connections(cluster.uri);
  // Only the folder is left behind by a killed process.
  std::error_code ignored;
  std::filesystem::remove_all(cluster.folder, ignored);
  REQUIRE(server_ended);
  REQUIRE_FALSE(still_accepts);
}

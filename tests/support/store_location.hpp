#pragma once

#include <memory>
#include <string>
#include <vector>

#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

namespace requip::test {

// The two places a requip store can live.
enum class Backend { sqlite, postgres };

const char* to_string(Backend backend);

// The backends a test of the store runs on: SQLite always, PostgreSQL when its server can run
// here (otherwise the reason is printed once and the PostgreSQL runs are skipped). Used as
//   const auto backend = GENERATE(from_range(store_backends()));
std::vector<Backend> store_backends();
// Whether the PostgreSQL runs happen here: for tests of PostgreSQL alone, which return early
// when it cannot run.
bool postgres_available();

// A new, empty place for one test's store: a file in a temporary folder, or a fresh database
// on a private PostgreSQL server that the test program shares between its tests.
class StoreLocation {
 public:
  explicit StoreLocation(Backend backend);

  // What `--db` or memory::Store takes: a file path or a postgresql:// URI.
  const std::string& db() const { return db_; }
  // The server, for tests that stop and start it; null for SQLite.
  PostgresCluster* cluster() const { return cluster_; }

 private:
  std::unique_ptr<TempDir> folder_;
  PostgresCluster* cluster_ = nullptr;
  std::string db_;
};

}  // namespace requip::test

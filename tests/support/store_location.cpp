#include "store_location.hpp"

#include <iostream>

namespace requip::test {

namespace {

// One server per test program, started on first use on the main thread (the thread its
// lifetime is tied to) and stopped at exit: starting one costs about half a second.
PostgresCluster& shared_cluster() {
  static PostgresCluster cluster;
  return cluster;
}

}  // namespace

const char* to_string(Backend backend) {
  return backend == Backend::sqlite ? "sqlite" : "postgres";
}

std::vector<Backend> store_backends() {
  static const std::vector<Backend> backends = [] {
    if (const auto reason = PostgresCluster::unavailable_reason()) {
      std::cerr << "skipping the PostgreSQL runs: " << *reason << "\n";
      return std::vector<Backend>{Backend::sqlite};
    }
    return std::vector<Backend>{Backend::sqlite, Backend::postgres};
  }();
  return backends;
}

bool postgres_available() {
  return store_backends().size() > 1;
}

StoreLocation::StoreLocation(Backend backend) {
  if (backend == Backend::sqlite) {
    folder_ = std::make_unique<TempDir>();
    db_ = (*folder_ / "requip.db").string();
  } else {
    cluster_ = &shared_cluster();
    db_ = cluster_->fresh_database();
  }
}

}  // namespace requip::test

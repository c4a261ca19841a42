#include "requip/memory/store.hpp"

#include "connection.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

Store::Store(const std::filesystem::path& file, StoreOptions options)
    : connection_(detail::open_connection(file, options)),
      memento_(std::make_shared<StoredMemento>(connection_)),
      mappings_(connection_),
      feedback_(connection_),
      blobs_(connection_) {}

Store::~Store() = default;

const std::filesystem::path& Store::file() const {
  return connection_->file();
}

StoreStats Store::stats() const {
  StoreStats stats;
  stats.file = file();
  connection_->run([&](Connection& db) {
    db.describe(stats);
    stats.memento_spaces = Query(db, "SELECT count(DISTINCT space) FROM memento").single_integer();
    stats.memento_values = Query(db, "SELECT count(*) FROM memento").single_integer();
    stats.mappings = Query(db, "SELECT count(*) FROM mappings").single_integer();
    stats.feedback_entries = Query(db, "SELECT count(*) FROM feedback").single_integer();
    stats.blob_names = Query(db, "SELECT count(DISTINCT name) FROM blobs").single_integer();
    stats.blob_versions = Query(db, "SELECT count(*) FROM blobs").single_integer();
    stats.blob_bytes =
        Query(db, "SELECT coalesce(sum(length(bytes)), 0) FROM blobs").single_integer();
  });
  return stats;
}

std::string Store::integrity_check() const {
  return connection_->run([](Connection& db) { return db.integrity_check(); });
}

void Store::backup(const std::filesystem::path& destination,
                   const std::function<void(int copied, int total)>& progress) const {
  if (std::filesystem::exists(destination)) {
    throw StoreError(StoreErrorKind::not_a_file, destination, "already exists",
                     "choose a new file name; nothing was overwritten", "backup");
  }
  connection_->backup(destination, progress);
}

}  // namespace requip::memory

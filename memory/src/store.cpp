#include "requip/memory/store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <thread>

#include <SQLiteCpp/Backup.h>

#include "connection.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

namespace {

std::int64_t single_number(Connection& db, std::string_view sql) {
  Query query(db, sql);
  query->executeStep();
  return query->getColumn(0).getInt64();
}

}  // namespace

Store::Store(const std::filesystem::path& file, StoreOptions options)
    : connection_(std::make_shared<Connection>(file, options)),
      memento_(std::make_shared<SqliteMemento>(connection_)),
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
  std::error_code error;
  stats.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(file(), error));
  connection_->run([&](Connection& db) {
    stats.schema_version = static_cast<int>(single_number(db, "PRAGMA user_version"));
    stats.journal_mode = db.database().execAndGet("PRAGMA journal_mode").getString();
    stats.memento_spaces = single_number(db, "SELECT count(DISTINCT space) FROM memento");
    stats.memento_values = single_number(db, "SELECT count(*) FROM memento");
    stats.mappings = single_number(db, "SELECT count(*) FROM mappings");
    stats.feedback_entries = single_number(db, "SELECT count(*) FROM feedback");
    stats.blob_names = single_number(db, "SELECT count(DISTINCT name) FROM blobs");
    stats.blob_versions = single_number(db, "SELECT count(*) FROM blobs");
    stats.blob_bytes = single_number(db, "SELECT coalesce(sum(length(bytes)), 0) FROM blobs");
    stats.quick_check = db.database().execAndGet("PRAGMA quick_check").getString();
  });
  return stats;
}

std::string Store::integrity_check() const {
  return connection_->run([&](Connection& db) {
    std::string result;
    SQLite::Statement check(db.database(), "PRAGMA integrity_check");
    while (check.executeStep()) {
      if (!result.empty()) result += "; ";
      result += check.getColumn(0).getString();
    }
    return result;
  });
}

void Store::backup(const std::filesystem::path& destination,
                   const std::function<void(int copied, int total)>& progress) const {
  if (std::filesystem::exists(destination)) {
    throw StoreError(StoreErrorKind::not_a_file, destination, "already exists",
                     "choose a new file name for the backup; nothing was overwritten");
  }
  // Written under a temporary name and renamed when complete: a half-made backup never
  // carries the final name.
  const std::filesystem::path partial = destination.string() + ".partial";
  try {
    {
      // A connection of its own reads the source, so the store's sessions are not held up; WAL
      // lets it read while they write. A write between steps restarts the copy, which SQLite
      // does by itself, so the result is always one consistent snapshot.
      SQLite::Database source(file(), SQLite::OPEN_READONLY);
      SQLite::Database target(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup copy(target, source);
      constexpr int pages_per_step = 4096;
      for (int status; (status = copy.executeStep(pages_per_step)) != SQLITE_DONE;) {
        if (status == SQLITE_BUSY || status == SQLITE_LOCKED) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        } else if (progress) {
          progress(copy.getTotalPageCount() - copy.getRemainingPageCount(),
                   copy.getTotalPageCount());
        }
      }
      if (progress) progress(copy.getTotalPageCount(), copy.getTotalPageCount());
    }
    std::filesystem::rename(partial, destination);
  } catch (const SQLite::Exception& error) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw StoreError(StoreErrorKind::io, destination,
                     fmt::format("backup failed ({})", error.what()),
                     "choose a writable location with enough space");
  }
}

}  // namespace requip::memory

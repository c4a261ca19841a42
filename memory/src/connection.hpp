#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "requip/memory/store.hpp"

namespace requip::memory::detail {

// Locking design. A store owns ONE SQLite connection, opened with SQLITE_OPEN_NOMUTEX and
// guarded by one std::mutex that every call holds from its first statement to its commit.
// Why one connection rather than one per thread:
//  - SQLite admits one writer per file at a time anyway, so writers gain nothing from more
//    connections; in-process they would only meet SQLITE_BUSY and spin in the busy handler.
//  - A point read costs a few microseconds with a cached prepared statement; the mutex adds
//    tens of nanoseconds, which meets the read target on one thread, and the prepared
//    statements are compiled once instead of once per thread.
//  - Every call sees every earlier commit, whichever thread made it.
// Other processes on the same file (a second `requip chat`) are kept apart by SQLite's own
// file locks: writes use BEGIN IMMEDIATE, so a writer waits up to the busy timeout for the
// lock instead of failing half-way through a transaction, and WAL lets readers go on meanwhile.
class Connection {
 public:
  Connection(const std::filesystem::path& file, const StoreOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::filesystem::path& file() const { return file_; }

  // Runs fn(*this) with the connection to itself, translating SQLite's errors into
  // StoreErrors that name the file.
  template <typename Fn>
  auto run(Fn&& fn) {
    std::lock_guard lock(mutex_);
    try {
      return fn(*this);
    } catch (const SQLite::Exception& error) {
      throw_store_error(error);
    }
  }

  // The prepared statement for `sql`, compiled on first use and kept. `sql` must be a string
  // literal: statements are never built from user text.
  SQLite::Statement& statement(std::string_view sql);
  SQLite::Database& database() { return database_; }

  [[noreturn]] void throw_store_error(const SQLite::Exception& error) const;

 private:
  std::filesystem::path file_;
  SQLite::Database database_;
  std::mutex mutex_;
  std::unordered_map<std::string_view, std::unique_ptr<SQLite::Statement>> statements_;
};

// A cached statement in use: reset and unbound when the scope ends, so that it holds no read
// snapshot and no user data between calls.
class Query {
 public:
  Query(Connection& connection, std::string_view sql) : statement_(connection.statement(sql)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    statement_.tryReset();
    statement_.clearBindings();
  }

  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

  // Text parameters: bound as TEXT so that they compare equal to stored text.
  void bind_text(int index, std::string_view text) { statement_.bind(index, std::string(text)); }
  // Bytes bound as a BLOB, copied by SQLite; an empty value stays a value, not NULL.
  void bind_bytes(int index, std::string_view bytes);

 private:
  SQLite::Statement& statement_;
};

// Milliseconds since the epoch, as the store keeps times.
std::int64_t to_millis(Clock::time_point time);
Clock::time_point from_millis(std::int64_t millis);
std::int64_t now_millis();

// The bytes of a BLOB or TEXT column, which may be empty.
std::string column_bytes(const SQLite::Column& column);

}  // namespace requip::memory::detail

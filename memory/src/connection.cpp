#include "connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "schema.hpp"

namespace requip::memory::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* left_untouched = "the file was left untouched";

// Checks what can be checked before SQLite touches the path, and creates the folder.
void prepare_path(const fs::path& file, const StoreOptions& options) {
  std::error_code error;
  const auto status = fs::status(file, error);
  if (fs::exists(status)) {
    if (!fs::is_regular_file(status)) {
      throw StoreError(StoreErrorKind::not_a_file, file,
                       fs::is_directory(status) ? "is a directory, not a database file"
                                                : "is not a regular file",
                       "give the path of a database file instead");
    }
    return;
  }
  if (!options.create_if_missing) {
    throw StoreError(StoreErrorKind::missing, file, "does not exist",
                     "check the path, or start `requip chat` once to create it");
  }
  if (file.has_parent_path() && !fs::create_directories(file.parent_path(), error) && error) {
    throw StoreError(StoreErrorKind::cannot_create, file,
                     fmt::format("cannot create its folder ({})", error.message()),
                     "choose a location you can write to");
  }
}

SQLite::Database open_database(const fs::path& file, const StoreOptions& options) {
  if (file != Store::in_memory) prepare_path(file, options);
  try {
    // NOMUTEX: Connection's own mutex serializes every use (see the locking design).
    return SQLite::Database(file,
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            static_cast<int>(options.busy_timeout.count()));
  } catch (const SQLite::Exception& error) {
    throw StoreError(StoreErrorKind::cannot_create, file,
                     fmt::format("cannot be opened or created ({})", error.getErrorStr()),
                     "choose a location you can write to");
  }
}

}  // namespace

Connection::Connection(const fs::path& file, const StoreOptions& options)
    : file_(file), database_(open_database(file, options)) {
  try {
    // SQLite falls back to read-only when it cannot open the file for writing.
    if (sqlite3_db_readonly(database_.getHandle(), "main") == 1) {
      throw StoreError(StoreErrorKind::read_only, file_, "cannot be written (read-only)",
                       "make the file and its folder writable, or use another file");
    }
    // Reading these is the first access to the file's content: garbage fails here, before
    // anything is written.
    const int app = database_.execAndGet("PRAGMA application_id").getInt();
    const int version = database_.execAndGet("PRAGMA user_version").getInt();
    const int objects = database_.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (app != application_id && (app != 0 || version != 0 || objects != 0)) {
      throw StoreError(StoreErrorKind::foreign, file_,
                       "is an SQLite database of another program, not requip's",
                       fmt::format("{}; use another file", left_untouched));
    }
    if (version > Store::schema_version) {
      throw StoreError(
          StoreErrorKind::newer_schema, file_,
          fmt::format("has schema version {}, newer than the {} this requip understands", version,
                      Store::schema_version),
          fmt::format("{}; upgrade requip, or use another file", left_untouched));
    }
    // A database in memory has no file to log ahead of: its journal stays in memory too.
    const std::string mode = database_.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal" && file_ != Store::in_memory) {
      throw StoreError(StoreErrorKind::io, file_,
                       fmt::format("cannot use write-ahead logging (journal mode stays {})", mode),
                       "put the file on a local file system");
    }
    database_.exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                          : "PRAGMA synchronous = NORMAL");
    migrate(*this);
  } catch (const SQLite::Exception& error) {
    throw_store_error(error);
  }
}

SQLite::Statement& Connection::statement(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found =
        statements_.emplace(sql, std::make_unique<SQLite::Statement>(database_, std::string(sql)))
            .first;
  }
  return *found->second;
}

void Connection::throw_store_error(const SQLite::Exception& error) const {
  const std::string detail = error.what();
  switch (error.getErrorCode()) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw StoreError(
          StoreErrorKind::corrupt, file_,
          fmt::format("is not a requip database or is damaged ({})", detail),
          fmt::format("{}; restore it from a backup, or use another file", left_untouched));
    case SQLITE_READONLY:
      throw StoreError(StoreErrorKind::read_only, file_,
                       fmt::format("cannot be written ({})", detail),
                       "make the file and its folder writable, or use another file");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw StoreError(StoreErrorKind::busy, file_,
                       fmt::format("stayed locked by another process ({})", detail),
                       "try again when the other requip has finished");
    case SQLITE_CANTOPEN:
      throw StoreError(StoreErrorKind::cannot_create, file_,
                       fmt::format("cannot be opened ({})", detail),
                       "check that the file and its folder exist and are writable");
    default:
      throw StoreError(StoreErrorKind::io, file_, fmt::format("failed ({})", detail),
                       "check the disk and the file's permissions");
  }
}

void Query::bind_bytes(int index, std::string_view bytes) {
  static constexpr char empty = '\0';
  statement_.bind(index, bytes.empty() ? &empty : bytes.data(), static_cast<int>(bytes.size()));
}

std::int64_t to_millis(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

Clock::time_point from_millis(std::int64_t millis) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(millis)));
}

std::int64_t now_millis() {
  return to_millis(Clock::now());
}

std::string column_bytes(const SQLite::Column& column) {
  const int size = column.getBytes();
  if (size == 0) return {};
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(size));
}

}  // namespace requip::memory::detail

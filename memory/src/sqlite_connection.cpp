// The SQLite backend: one file in WAL mode, the embedded default.
//
// Locking: the connection is opened with SQLITE_OPEN_NOMUTEX, since Connection's own mutex
// serializes every use. One connection rather than one per thread, because SQLite admits one
// writer per file at a time anyway (in-process writers would only meet SQLITE_BUSY and spin),
// and a point read costs a few microseconds with a cached statement, which the mutex barely
// adds to. Other processes on the same file (a second `requip chat`) are kept apart by
// SQLite's file locks: writes use BEGIN IMMEDIATE, so a writer waits up to the busy timeout
// for the lock instead of failing half-way through, and WAL lets readers go on meanwhile.
#include "sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <thread>

#include <SQLiteCpp/Backup.h>

#include "sqlite_schema.hpp"

namespace requip::memory::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* left_untouched = "the file was left untouched";

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(SQLite::Database& database, std::string_view sql)
      : statement_(database, std::string(sql)) {}

  void bind(int index, std::int64_t value) override { statement_.bind(index, value); }
  void bind_text(int index, std::string_view text) override {
    statement_.bind(index, std::string(text));
  }
  void bind_bytes(int index, std::string_view bytes) override {
    static constexpr char empty = '\0';
    statement_.bind(index, bytes.empty() ? &empty : bytes.data(), static_cast<int>(bytes.size()));
  }
  bool step() override { return statement_.executeStep(); }
  std::int64_t run() override { return statement_.exec(); }
  bool is_null(int column) const override { return statement_.getColumn(column).isNull(); }
  std::int64_t integer(int column) const override {
    return statement_.getColumn(column).getInt64();
  }
  std::string text(int column) const override { return statement_.getColumn(column).getString(); }
  std::string bytes(int column) const override {
    const SQLite::Column value = statement_.getColumn(column);
    const int size = value.getBytes();
    if (size == 0) return {};
    return std::string(static_cast<const char*>(value.getBlob()), static_cast<std::size_t>(size));
  }
  void reset() override {
    statement_.tryReset();
    statement_.clearBindings();
  }

 private:
  mutable SQLite::Statement statement_;
};

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

SqliteConnection::SqliteConnection(const fs::path& file, const StoreOptions& options)
    : Connection(file), database_(open_database(file, options)) {
  try {
    // SQLite falls back to read-only when it cannot open the file for writing.
    if (sqlite3_db_readonly(database_.getHandle(), "main") == 1) {
      throw StoreError(StoreErrorKind::read_only, file, "cannot be written (read-only)",
                       "make the file and its folder writable, or use another file");
    }
    // Reading these is the first access to the file's content: garbage fails here, before
    // anything is written.
    const int app = database_.execAndGet("PRAGMA application_id").getInt();
    const int version = database_.execAndGet("PRAGMA user_version").getInt();
    const int objects = database_.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (app != sqlite_application_id && (app != 0 || version != 0 || objects != 0)) {
      throw StoreError(StoreErrorKind::foreign, file,
                       "is an SQLite database of another program, not requip's",
                       fmt::format("{}; use another file", left_untouched));
    }
    if (version > Store::schema_version) {
      throw StoreError(
          StoreErrorKind::newer_schema, file,
          fmt::format("has schema version {}, newer than the {} this requip understands", version,
                      Store::schema_version),
          fmt::format("{}; upgrade requip, or use another file", left_untouched));
    }
    // A database in memory has no file to log ahead of: its journal stays in memory too.
    const std::string mode = database_.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal" && file != Store::in_memory) {
      throw StoreError(StoreErrorKind::io, file,
                       fmt::format("cannot use write-ahead logging (journal mode stays {})", mode),
                       "put the file on a local file system");
    }
    database_.exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                          : "PRAGMA synchronous = NORMAL");
    migrate_sqlite(database_);
  } catch (const SQLite::Exception&) {
    throw_store_error(std::current_exception());
    throw;
  }
}

std::unique_ptr<Statement> SqliteConnection::prepare(std::string_view sql) {
  return std::make_unique<SqliteStatement>(database_, sql);
}

void SqliteConnection::begin(TransactionKind kind) {
  database_.exec(kind == TransactionKind::write ? "BEGIN IMMEDIATE" : "BEGIN");
}

void SqliteConnection::commit() {
  database_.exec("COMMIT");
}

void SqliteConnection::rollback() noexcept {
  database_.tryExec("ROLLBACK");
}

std::int64_t SqliteConnection::data_version() {
  // Asked before every routed turn: the statement is compiled once.
  return Query(*this, "PRAGMA data_version").single_integer();
}

void SqliteConnection::describe(StoreStats& stats) {
  std::error_code error;
  stats.file_bytes = static_cast<std::int64_t>(fs::file_size(file(), error));
  stats.schema_version = database_.execAndGet("PRAGMA user_version").getInt();
  stats.journal_mode = database_.execAndGet("PRAGMA journal_mode").getString();
  // PRAGMA synchronous reads back as a number: 1 is NORMAL, 2 is FULL.
  const auto synchronous = database_.execAndGet("PRAGMA synchronous").getInt();
  stats.synchronous = synchronous == 2 ? "full" : synchronous == 1 ? "normal" : "other";
  stats.quick_check = database_.execAndGet("PRAGMA quick_check").getString();
}

std::string SqliteConnection::integrity_check() {
  std::string result;
  SQLite::Statement check(database_, "PRAGMA integrity_check");
  while (check.executeStep()) {
    if (!result.empty()) result += "; ";
    result += check.getColumn(0).getString();
  }
  return result;
}

void SqliteConnection::backup(const fs::path& destination,
                              const std::function<void(int copied, int total)>& progress) {
  // Written under a temporary name and renamed when complete: a half-made backup never
  // carries the final name.
  const fs::path partial = destination.string() + ".partial";
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
    fs::rename(partial, destination);
  } catch (const SQLite::Exception& error) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw StoreError(StoreErrorKind::io, destination,
                     fmt::format("could not be written ({})", error.what()),
                     "choose a writable location with enough space", "backup");
  }
}

void SqliteConnection::throw_store_error(std::exception_ptr thrown) const {
  try {
    std::rethrow_exception(thrown);
  } catch (const SQLite::Exception& error) {
    const std::string detail = error.what();
    switch (error.getErrorCode()) {
      case SQLITE_NOTADB:
      case SQLITE_CORRUPT:
        throw StoreError(
            StoreErrorKind::corrupt, file(),
            fmt::format("is not a requip database or is damaged ({})", detail),
            fmt::format("{}; restore it from a backup, or use another file", left_untouched));
      case SQLITE_READONLY:
        throw StoreError(StoreErrorKind::read_only, file(),
                         fmt::format("cannot be written ({})", detail),
                         "make the file and its folder writable, or use another file");
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        throw StoreError(StoreErrorKind::busy, file(),
                         fmt::format("stayed locked by another process ({})", detail),
                         "try again when the other requip has finished");
      case SQLITE_CANTOPEN:
        throw StoreError(StoreErrorKind::cannot_create, file(),
                         fmt::format("cannot be opened ({})", detail),
                         "check that the file and its folder exist and are writable");
      default:
        throw StoreError(StoreErrorKind::io, file(), fmt::format("failed ({})", detail),
                         "check the disk and the file's permissions");
    }
  } catch (...) {
    // not the backend's own: the caller rethrows it as it was
  }
}

}  // namespace requip::memory::detail

#pragma once

#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "requip/memory/store.hpp"
#include "statement.hpp"

namespace requip::memory::detail {

// A store's one connection to its database, whichever the backend. Every call holds its mutex
// from its first statement to its commit: one connection serves the whole process, its
// prepared statements are compiled once, and every call sees every earlier commit, whichever
// thread made it. Other processes on the same database are kept apart by the database itself
// (file locks for SQLite, row locks for PostgreSQL); see each backend for how.
class Connection {
 public:
  enum class TransactionKind {
    read,  // one consistent snapshot for several reads
    // Takes the database's write lock at once, so it never fails half-way for want of it, and
    // writers of every process take turns, as SQLite's one writer at a time does.
    write,
  };

  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Names the database in messages: the file's path, or the server's URI without a password.
  const std::filesystem::path& file() const { return file_; }

  // Runs fn(*this) with the connection to itself; what the backend throws becomes a
  // StoreError that names the database.
  template <typename Fn>
  auto run(Fn&& fn) {
    std::lock_guard lock(mutex_);
    try {
      return fn(*this);
    } catch (const StoreError&) {
      throw;
    } catch (...) {
      const auto error = std::current_exception();
      throw_store_error(error);
      std::rethrow_exception(error);
    }
  }

  // The prepared statement for `sql`, compiled on first use and kept. `sql` must be a string
  // literal: statements are never built from user text.
  Statement& statement(std::string_view sql);

  virtual void begin(TransactionKind kind) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // A number that changes whenever another connection commits to the database: MappingCache
  // empties itself when it does, and FeedbackLog::outside_writes shows it to the router.
  virtual std::int64_t data_version() = 0;
  // Tells the other connections that mappings changed or feedback was logged, after the
  // commit: what their data_version() counts where the database does not tell them itself.
  // It never fails the write, which is committed: a notice that cannot be sent is dropped.
  virtual void announce_change() noexcept {}

  // The backend's part of Store::stats: where it is, its schema version, its mode, its size.
  virtual void describe(StoreStats& stats) = 0;
  virtual std::string integrity_check() = 0;
  virtual void backup(const std::filesystem::path& destination,
                      const std::function<void(int copied, int total)>& progress) = 0;

 protected:
  explicit Connection(std::filesystem::path file) : file_(std::move(file)) {}

  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // For a backend's destructor: its statements go before the database handle they use.
  void forget_statements() { statements_.clear(); }
  // Throws a StoreError for an error of the backend's own; returns for anything else.
  virtual void throw_store_error(std::exception_ptr error) const = 0;

 private:
  std::filesystem::path file_;
  std::mutex mutex_;
  std::unordered_map<std::string_view, std::unique_ptr<Statement>> statements_;
};

// Opens the database `file` names: a postgresql:// URI selects PostgreSQL, anything else is
// the path of an SQLite file (or Store::in_memory). Migrates its schema forward.
std::shared_ptr<Connection> open_connection(const std::filesystem::path& file,
                                            const StoreOptions& options);

// A cached statement in use for one call: reset when the scope ends, so that it holds no read
// snapshot and no user data between calls.
class Query {
 public:
  Query(Connection& connection, std::string_view sql) : statement_(connection.statement(sql)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() { statement_.reset(); }

  Statement* operator->() { return &statement_; }

  // The first column of the only row: for count(*) and the like.
  std::int64_t single_integer() {
    statement_.step();
    return statement_.integer(0);
  }
  std::string text() {
    statement_.step();
    return statement_.text(0);
  }

 private:
  Statement& statement_;
};

// A transaction on a connection already held; rolled back unless committed.
class Transaction {
 public:
  Transaction(Connection& connection, Connection::TransactionKind kind) : connection_(connection) {
    connection_.begin(kind);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_) connection_.rollback();
  }

  void commit() {
    connection_.commit();
    done_ = true;
  }

 private:
  Connection& connection_;
  bool done_ = false;
};

// Milliseconds since the epoch, as the store keeps times.
std::int64_t to_millis(Clock::time_point time);
Clock::time_point from_millis(std::int64_t millis);
std::int64_t now_millis();

}  // namespace requip::memory::detail

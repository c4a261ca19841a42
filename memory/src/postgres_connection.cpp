#include "postgres_connection.hpp"

#include <endian.h>
#include <fmt/format.h>
#include <libpq-fe.h>

#include <cstring>
#include <vector>

#include "postgres_schema.hpp"
#include "requip/core/detail/library_log.hpp"

namespace requip::memory::detail {

namespace {

// The database's one write lock, held to the end of a write transaction: writers of every
// replica take turns, so that no two compute the same next blob version, and feedback entries
// commit in the order of their ids.
constexpr const char* write_lock = "SELECT pg_advisory_xact_lock(7365478)";

// What the server or libpq reported. `lost` is set when the connection itself is gone, which
// the caller sees as a store that is unavailable for now rather than one that failed.
struct PostgresFailure : std::runtime_error {
  PostgresFailure(const std::string& message, std::string sqlstate, bool lost)
      : std::runtime_error(message), sqlstate(std::move(sqlstate)), lost(lost) {}
  std::string sqlstate;
  bool lost;
};

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string first_line(const char* message) {
  std::string text = message ? message : "";
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text;
}

// Throws unless `result` is a success of either kind.
Result checked(PGconn* connection, PGresult* raw) {
  Result result(raw);
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  const std::string message =
      first_line(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(connection));
  throw PostgresFailure(message, state ? state : "", PQstatus(connection) == CONNECTION_BAD);
}

// Our SQL writes parameters ?1, ?2, ... as SQLite does; PostgreSQL reads $1, $2, ....
std::string server_sql(std::string_view sql) {
  std::string out;
  bool quoted = false;
  for (const char c : sql) {
    if (c == '\'') quoted = !quoted;
    out += (c == '?' && !quoted) ? '$' : c;
  }
  return out;
}

// The URI as messages show it: a password stays out of logs and error lines.
std::string without_password(const std::string& uri) {
  const auto scheme = uri.find("://");
  const auto at = uri.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return uri;
  const auto colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + uri.substr(at);
}

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresConnection& connection, std::string name, std::string_view sql)
      : connection_(connection), name_(std::move(name)), sql_(server_sql(sql)) {}

  void bind(int index, std::int64_t value) override { set(index, std::to_string(value), 0); }
  void bind_text(int index, std::string_view text) override { set(index, std::string(text), 0); }
  void bind_bytes(int index, std::string_view bytes) override { set(index, std::string(bytes), 1); }

  bool step() override {
    if (!result_) execute();
    return ++row_ < PQntuples(result_.get());
  }
  std::int64_t run() override {
    execute();
    const char* changed = PQcmdTuples(result_.get());
    return changed && *changed ? std::stoll(changed) : 0;
  }

  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column); }
  // Results come in binary: integers in network order, as wide as their SQL type.
  std::int64_t integer(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    switch (PQgetlength(result_.get(), row_, column)) {
      case 8: {
        std::uint64_t big;
        std::memcpy(&big, value, 8);
        return static_cast<std::int64_t>(be64toh(big));
      }
      case 4: {
        std::uint32_t word;
        std::memcpy(&word, value, 4);
        return static_cast<std::int32_t>(be32toh(word));
      }
      case 2: {
        std::uint16_t half;
        std::memcpy(&half, value, 2);
        return static_cast<std::int16_t>(be16toh(half));
      }
      default:
        return 0;  // NULL, as SQLite reads it
    }
  }
  std::string text(int column) const override { return bytes(column); }
  std::string bytes(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
  }

  void reset() override {
    values_.clear();
    formats_.clear();
    result_.reset();
    row_ = -1;
  }

 private:
  void set(int index, std::string value, int format) {
    const auto slot = static_cast<std::size_t>(index - 1);
    if (values_.size() <= slot) {
      values_.resize(slot + 1);
      formats_.resize(slot + 1, 0);
    }
    values_[slot] = std::move(value);
    formats_[slot] = format;
  }

  void execute() {
    PGconn* connection = connection_.live();
    if (prepared_for_ != connection_.generation()) {
      checked(connection, PQprepare(connection, name_.c_str(), sql_.c_str(), 0, nullptr));
      prepared_for_ = connection_.generation();
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const auto& value : values_) {
      values.push_back(value.data());
      lengths.push_back(static_cast<int>(value.size()));
    }
    result_ = checked(connection,
                      PQexecPrepared(connection, name_.c_str(), static_cast<int>(values.size()),
                                     values.data(), lengths.data(), formats_.data(), 1));
    row_ = -1;
  }

  PostgresConnection& connection_;
  std::string name_;
  std::string sql_;
  std::uint64_t prepared_for_ = 0;  // generations count from 1
  std::vector<std::string> values_;
  std::vector<int> formats_;  // 0 text, 1 binary
  Result result_;
  int row_ = -1;
};

}  // namespace

bool is_postgres_uri(std::string_view where) {
  return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0;
}

PostgresConnection::PostgresConnection(const std::filesystem::path& uri,
                                       const StoreOptions& options)
    : Connection(without_password(uri.string())), conninfo_(uri.string()), options_(options) {
  try {
    connect();
    migrate_postgres(*this);
  } catch (...) {
    // A refused database ends the constructor: no destructor will close the connection.
    const auto error = std::current_exception();
    forget_statements();
    PQfinish(connection_);
    connection_ = nullptr;
    throw_store_error(error);
    throw;
  }
}

PostgresConnection::~PostgresConnection() {
  forget_statements();
  PQfinish(connection_);
}

void PostgresConnection::connect() {
  const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {conninfo_.c_str(), "3", "requip", nullptr};
  if (!connection_) {
    connection_ = PQconnectdbParams(keywords, values, 1);
  } else {
    PQreset(connection_);
  }
  if (PQstatus(connection_) != CONNECTION_OK) {
    throw StoreUnavailable(
        file(),
        fmt::format("cannot reach the server ({})", first_line(PQerrorMessage(connection_))),
        "start PostgreSQL there, check the host, port, user and database in the "
        "URI, or give another --db");
  }
  ++generation_;
  ++notices_;  // whatever changed while we were away was not announced to us
  // The server's own messages (a shutdown under way, say) go to the log, not to stderr.
  PQsetNoticeProcessor(
      connection_,
      [](void*, const char* message) {
        requip::detail::library_log().warn("postgresql: {}", first_line(message));
      },
      nullptr);
  // How commits reach the disk is the server's to say (synchronous_commit), and by default
  // each is flushed before it is acknowledged, so Durability changes nothing here.
  execute(fmt::format("SET lock_timeout = {}", options_.busy_timeout.count()).c_str());
  execute("LISTEN requip_changes");
}

PGconn* PostgresConnection::live() {
  if (PQstatus(connection_) == CONNECTION_BAD) connect();
  return connection_;
}

void PostgresConnection::execute(const char* sql) {
  checked(connection_, PQexec(connection_, sql));
}

std::unique_ptr<Statement> PostgresConnection::prepare(std::string_view sql) {
  return std::make_unique<PostgresStatement>(*this, fmt::format("s{}", ++statements_made_), sql);
}

void PostgresConnection::begin(TransactionKind kind) {
  live();
  if (kind == TransactionKind::read) {
    execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return;
  }
  execute("BEGIN");
  execute(write_lock);
}

void PostgresConnection::commit() {
  execute("COMMIT");
}

void PostgresConnection::rollback() noexcept {
  if (PQstatus(connection_) == CONNECTION_OK) PQclear(PQexec(connection_, "ROLLBACK"));
}

std::int64_t PostgresConnection::data_version() {
  if (PQstatus(connection_) != CONNECTION_OK || !PQconsumeInput(connection_)) return ++notices_;
  while (PGnotify* notice = PQnotifies(connection_)) {
    ++notices_;
    PQfreemem(notice);
  }
  return notices_;
}

void PostgresConnection::announce_change() noexcept {
  // Its own transaction, which writes nothing: it waits for no disk flush.
  if (PQstatus(connection_) == CONNECTION_OK) PQclear(PQexec(connection_, "NOTIFY requip_changes"));
}

void PostgresConnection::describe(StoreStats& stats) {
  Query version(*this, "SELECT version FROM requip_schema");
  stats.schema_version = static_cast<int>(version.single_integer());
  stats.journal_mode = "postgresql";
  stats.synchronous = Query(*this, "SELECT current_setting('synchronous_commit')").text();
  stats.file_bytes = Query(*this, "SELECT pg_database_size(current_database())").single_integer();
  stats.quick_check = "ok";  // the server checks its own pages
}

std::string PostgresConnection::integrity_check() {
  return "ok";  // the server checks its own pages
}

void PostgresConnection::backup(const std::filesystem::path& destination,
                                const std::function<void(int copied, int total)>&) {
  throw StoreError(StoreErrorKind::io, destination,
                   "cannot be made from a PostgreSQL store by requip",
                   "back the database up with pg_dump on its server", "backup");
}

void PostgresConnection::throw_store_error(std::exception_ptr thrown) const {
  try {
    std::rethrow_exception(thrown);
  } catch (const PostgresFailure& failure) {
    if (failure.lost) {
      throw StoreUnavailable(file(), fmt::format("lost the server ({})", failure.what()),
                             "requip reconnects by itself once PostgreSQL is back");
    }
    if (failure.sqlstate == "40001" || failure.sqlstate == "40P01" || failure.sqlstate == "55P03") {
      throw StoreError(StoreErrorKind::busy, file(),
                       fmt::format("stayed locked by another process ({})", failure.what()),
                       "try again when the other requip has finished");
    }
    if (failure.sqlstate == "42501") {
      throw StoreError(StoreErrorKind::read_only, file(),
                       fmt::format("cannot be written ({})", failure.what()),
                       "grant this user the rights to the database, or use another");
    }
    throw StoreError(StoreErrorKind::io, file(), fmt::format("failed ({})", failure.what()),
                     "check the server's log");
  } catch (...) {
    // not the backend's own: the caller rethrows it as it was
  }
}

}  // namespace requip::memory::detail

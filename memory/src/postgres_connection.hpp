#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "connection.hpp"

struct pg_conn;

namespace requip::memory::detail {

// Whether `where` names a PostgreSQL server (postgresql:// or postgres://) rather than a file.
bool is_postgres_uri(std::string_view where);

// The store on a PostgreSQL server, for replicas that learn together. One libpq connection,
// serialized by Connection's mutex like SQLite's. Statements are prepared on the server on
// first use and again after a reconnection. A lost server makes calls fail with
// StoreErrorKind::unavailable; the next call tries to reconnect, so service resumes by itself
// when the server is back.
class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const std::filesystem::path& uri, const StoreOptions& options);
  ~PostgresConnection() override;

  void begin(TransactionKind kind) override;
  void commit() override;
  void rollback() noexcept override;
  // Counts the notices that mappings changed or feedback was logged (announce_change() of any
  // replica), read without waiting, so it costs no round trip. A notice is lost only if its
  // replica dies between commit and notice; the others' cached mappings then stay as they
  // were until the next notice or reconnection, while their routers' once-a-second look at
  // the feedback log still finds what was logged.
  std::int64_t data_version() override;
  void announce_change() noexcept override;
  void describe(StoreStats& stats) override;
  std::string integrity_check() override;
  void backup(const std::filesystem::path& destination,
              const std::function<void(int copied, int total)>& progress) override;

  // For PostgresStatement: the live connection (reconnecting if it was lost) and how many
  // times it was made, since statements prepared on an older one are gone.
  pg_conn* live();
  std::uint64_t generation() const { return generation_; }
  // Runs SQL without parameters and without rows, failing with the server's message.
  void execute(const char* sql);

 protected:
  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  void throw_store_error(std::exception_ptr thrown) const override;

 private:
  void connect();

  std::string conninfo_;
  StoreOptions options_;
  pg_conn* connection_ = nullptr;
  std::uint64_t generation_ = 0;
  std::uint64_t statements_made_ = 0;
  std::int64_t notices_ = 0;
};

}  // namespace requip::memory::detail

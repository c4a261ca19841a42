#pragma once

#include <SQLiteCpp/Database.h>

#include "connection.hpp"

namespace requip::memory::detail {

// The store in one SQLite file in WAL mode (or in memory): the embedded default. Opening checks
// the file and refuses one that cannot be used (corrupt, newer, read-only, foreign), leaving it
// as it is, then migrates an older schema forward.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::filesystem::path& file, const StoreOptions& options);
  ~SqliteConnection() override { forget_statements(); }

  void begin(TransactionKind kind) override;
  void commit() override;
  void rollback() noexcept override;
  std::int64_t data_version() override;
  void describe(StoreStats& stats) override;
  std::string integrity_check() override;
  void backup(const std::filesystem::path& destination,
              const std::function<void(int copied, int total)>& progress) override;

 protected:
  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  void throw_store_error(std::exception_ptr thrown) const override;

 private:
  SQLite::Database database_;
};

}  // namespace requip::memory::detail

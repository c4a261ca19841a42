#include "connection.hpp"

#include "postgres_connection.hpp"
#include "sqlite_connection.hpp"

namespace requip::memory::detail {

Statement& Connection::statement(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) found = statements_.emplace(sql, prepare(sql)).first;
  return *found->second;
}

std::shared_ptr<Connection> open_connection(const std::filesystem::path& file,
                                            const StoreOptions& options) {
  if (is_postgres_uri(file.string())) return std::make_shared<PostgresConnection>(file, options);
  return std::make_shared<SqliteConnection>(file, options);
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

}  // namespace requip::memory::detail

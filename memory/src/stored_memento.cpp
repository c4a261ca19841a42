#include "requip/memory/stored_memento.hpp"

#include "connection.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

StoredMemento::StoredMemento(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

std::optional<std::string> StoredMemento::get(std::string_view space, std::string_view key) const {
  return connection_->run([&](Connection& db) -> std::optional<std::string> {
    Query query(db, "SELECT value FROM memento WHERE space = ?1 AND key = ?2");
    query->bind_text(1, space);
    query->bind_text(2, key);
    if (!query->step()) return std::nullopt;
    return query->bytes(0);
  });
}

void StoredMemento::put(std::string_view space, std::string_view key, std::string_view value) {
  connection_->run([&](Connection& db) {
    Query query(db,
                "INSERT INTO memento (space, key, value) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (space, key) DO UPDATE SET value = excluded.value");
    query->bind_text(1, space);
    query->bind_text(2, key);
    query->bind_bytes(3, value);
    query->run();
  });
}

bool StoredMemento::erase(std::string_view space, std::string_view key) {
  return connection_->run([&](Connection& db) {
    Query query(db, "DELETE FROM memento WHERE space = ?1 AND key = ?2");
    query->bind_text(1, space);
    query->bind_text(2, key);
    return query->run() > 0;
  });
}

std::vector<std::string> StoredMemento::keys(std::string_view space) const {
  return connection_->run([&](Connection& db) {
    Query query(db, "SELECT key FROM memento WHERE space = ?1 ORDER BY key");
    query->bind_text(1, space);
    std::vector<std::string> keys;
    while (query->step())
      keys.push_back(query->text(0));
    return keys;
  });
}

}  // namespace requip::memory

#include "requip/memory/blobs.hpp"

#include <algorithm>

#include "connection.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

namespace {

std::optional<Blob> read_blob(Query& query) {
  if (!query->step()) return std::nullopt;
  Blob blob;
  blob.name = query->text(0);
  blob.version = query->integer(1);
  blob.bytes = query->bytes(2);
  blob.time = detail::from_millis(query->integer(3));
  return blob;
}

}  // namespace

Blobs::Blobs(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

std::int64_t Blobs::put(std::string_view name, std::string_view bytes) {
  return connection_->run([&](Connection& db) {
    // Writers take turns (see Connection::begin), so no two compute the same next version.
    detail::Transaction transaction(db, Connection::TransactionKind::write);
    Query query(db,
                "INSERT INTO blobs (name, version, bytes, time_ms) VALUES (?1, "
                "(SELECT coalesce(max(version), 0) + 1 FROM blobs WHERE name = ?1), ?2, ?3) "
                "RETURNING version");
    query->bind_text(1, name);
    query->bind_bytes(2, bytes);
    query->bind(3, detail::now_millis());
    query->step();
    const std::int64_t version = query->integer(0);
    query->step();  // runs the statement to completion
    transaction.commit();
    return version;
  });
}

std::optional<Blob> Blobs::latest(std::string_view name) const {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "SELECT name, version, bytes, time_ms FROM blobs WHERE name = ?1 "
                "ORDER BY version DESC LIMIT 1");
    query->bind_text(1, name);
    return read_blob(query);
  });
}

std::optional<Blob> Blobs::get(std::string_view name, std::int64_t version) const {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "SELECT name, version, bytes, time_ms FROM blobs WHERE name = ?1 AND version = ?2");
    query->bind_text(1, name);
    query->bind(2, version);
    return read_blob(query);
  });
}

std::vector<BlobInfo> Blobs::list() const {
  return connection_->run([&](Connection& db) {
    // length() is the size without reading the bytes: both backends keep it with the value.
    Query query(db,
                "SELECT name, max(version), count(*), sum(length(bytes)), "
                "(SELECT length(bytes) FROM blobs l WHERE l.name = b.name ORDER BY version DESC "
                "LIMIT 1), max(time_ms) FROM blobs b GROUP BY name ORDER BY name");
    std::vector<BlobInfo> infos;
    while (query->step()) {
      BlobInfo& info = infos.emplace_back();
      info.name = query->text(0);
      info.latest_version = query->integer(1);
      info.versions = query->integer(2);
      info.total_size = query->integer(3);
      info.latest_size = query->integer(4);
      info.latest_time = detail::from_millis(query->integer(5));
    }
    return infos;
  });
}

std::int64_t Blobs::prune(std::string_view name, std::int64_t keep) {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "DELETE FROM blobs WHERE name = ?1 AND version <= "
                "(SELECT max(version) FROM blobs WHERE name = ?1) - ?2");
    query->bind_text(1, name);
    query->bind(2, std::max<std::int64_t>(keep, 1));
    return static_cast<std::int64_t>(query->run());
  });
}

}  // namespace requip::memory

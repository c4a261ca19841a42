#include "requip/memory/mappings.hpp"

#include "connection.hpp"
#include "mapping_cache.hpp"
#include "mapping_rows.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

namespace {

// Folds rows of (key, skill, skill_version, confirmations, rejections, first_seen_ms,
// last_used_ms, rejected skill or NULL), ordered by key, into one Mapping per key.
std::vector<Mapping> read_mappings(Query& query) {
  std::vector<Mapping> mappings;
  while (query->step()) {
    std::string key = query->text(0);
    if (mappings.empty() || mappings.back().key != key) {
      Mapping& mapping = mappings.emplace_back();
      mapping.key = std::move(key);
      mapping.skill = query->text(1);
      mapping.skill_version = query->text(2);
      mapping.confirmations = query->integer(3);
      mapping.rejections = query->integer(4);
      mapping.first_seen = detail::from_millis(query->integer(5));
      mapping.last_used = detail::from_millis(query->integer(6));
    }
    if (!query->is_null(7)) mappings.back().rejected.push_back(query->text(7));
  }
  return mappings;
}

// Sets the key's skill, creating the row; a change of skill restarts its confirmations. The
// stored row is named `m` so that PostgreSQL, like SQLite, tells it from `excluded`.
void equip(Connection& db, std::string_view key, std::string_view skill,
           std::string_view skill_version, std::int64_t now) {
  Query query(db,
              "INSERT INTO mappings AS m (key, skill, skill_version, first_seen_ms, last_used_ms) "
              "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (key) DO UPDATE SET "
              "confirmations = CASE WHEN m.skill = excluded.skill THEN m.confirmations ELSE 0 END, "
              "skill = excluded.skill, skill_version = excluded.skill_version, "
              "last_used_ms = excluded.last_used_ms");
  query->bind_text(1, key);
  query->bind_text(2, skill);
  query->bind_text(3, skill_version);
  query->bind(4, now);
  query->run();
}

}  // namespace

std::vector<Mapping> detail::list_mappings(Connection& db) {
  Query query(db,
              "SELECT m.key, m.skill, m.skill_version, m.confirmations, m.rejections, "
              "m.first_seen_ms, m.last_used_ms, r.skill FROM mappings m "
              "LEFT JOIN mapping_rejections r ON r.key = m.key ORDER BY m.key, r.skill");
  return read_mappings(query);
}

Mappings::Mappings(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)), cache_(std::make_unique<detail::MappingCache>()) {}

Mappings::~Mappings() = default;

std::optional<Mapping> Mappings::find(std::string_view key) const {
  return connection_->run([&](Connection& db) -> std::optional<Mapping> {
    if (const auto* cached = cache_->find(db, key)) return *cached;
    Query query(db,
                "SELECT m.key, m.skill, m.skill_version, m.confirmations, m.rejections, "
                "m.first_seen_ms, m.last_used_ms, r.skill FROM mappings m "
                "LEFT JOIN mapping_rejections r ON r.key = m.key "
                "WHERE m.key = ?1 ORDER BY r.skill");
    query->bind_text(1, key);
    auto found = read_mappings(query);
    std::optional<Mapping> mapping;
    if (!found.empty()) mapping = std::move(found.front());
    cache_->remember(std::string(key), mapping);
    return mapping;
  });
}

std::vector<Mapping> Mappings::list() const {
  return connection_->run([](Connection& db) { return detail::list_mappings(db); });
}

std::int64_t Mappings::count() const {
  return connection_->run([&](Connection& db) {
    Query query(db, "SELECT count(*) FROM mappings");
    query->step();
    return query->integer(0);
  });
}

void Mappings::upsert(std::string_view key, std::string_view skill,
                      std::string_view skill_version) {
  connection_->run([&](Connection& db) {
    cache_->drop(std::string(key));
    // One statement is its own transaction, which takes the write lock.
    equip(db, key, skill, skill_version, detail::now_millis());
    db.announce_change();
  });
}

void Mappings::confirm(std::string_view key, std::string_view skill,
                       std::string_view skill_version) {
  connection_->run([&](Connection& db) {
    cache_->drop(std::string(key));
    detail::Transaction transaction(db, Connection::TransactionKind::write);
    equip(db, key, skill, skill_version, detail::now_millis());
    {
      Query query(db, "UPDATE mappings SET confirmations = confirmations + 1 WHERE key = ?1");
      query->bind_text(1, key);
      query->run();
    }
    Query query(db, "DELETE FROM mapping_rejections WHERE key = ?1 AND skill = ?2");
    query->bind_text(1, key);
    query->bind_text(2, skill);
    query->run();
    transaction.commit();
    db.announce_change();
  });
}

void Mappings::reject(std::string_view key, std::string_view skill) {
  connection_->run([&](Connection& db) {
    cache_->drop(std::string(key));
    const std::int64_t now = detail::now_millis();
    detail::Transaction transaction(db, Connection::TransactionKind::write);
    {
      // A key first met through a rejection has a mapping with no skill yet.
      Query query(
          db,
          "INSERT INTO mappings AS m (key, skill, skill_version, rejections, first_seen_ms, "
          "last_used_ms) VALUES (?1, '', '', 1, ?2, ?2) ON CONFLICT (key) DO UPDATE SET "
          "rejections = m.rejections + 1, last_used_ms = excluded.last_used_ms, "
          "skill = CASE WHEN m.skill = ?3 THEN '' ELSE m.skill END, "
          "skill_version = CASE WHEN m.skill = ?3 THEN '' ELSE m.skill_version END, "
          "confirmations = CASE WHEN m.skill = ?3 THEN 0 ELSE m.confirmations END");
      query->bind_text(1, key);
      query->bind(2, now);
      query->bind_text(3, skill);
      query->run();
    }
    Query query(db,
                "INSERT INTO mapping_rejections (key, skill, time_ms) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (key, skill) DO UPDATE SET time_ms = excluded.time_ms");
    query->bind_text(1, key);
    query->bind_text(2, skill);
    query->bind(3, now);
    query->run();
    transaction.commit();
    db.announce_change();
  });
}

bool Mappings::forget(std::string_view key) {
  return connection_->run([&](Connection& db) {
    cache_->drop(std::string(key));
    detail::Transaction transaction(db, Connection::TransactionKind::write);
    {
      Query query(db, "DELETE FROM mapping_rejections WHERE key = ?1");
      query->bind_text(1, key);
      query->run();
    }
    Query query(db, "DELETE FROM mappings WHERE key = ?1");
    query->bind_text(1, key);
    const bool existed = query->run() > 0;
    transaction.commit();
    db.announce_change();
    return existed;
  });
}

}  // namespace requip::memory

#include "requip/memory/mappings.hpp"

#include "connection.hpp"
#include "mapping_rows.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

namespace {

// Folds rows of (key, skill, skill_version, confirmations, rejections, first_seen_ms,
// last_used_ms, rejected skill or NULL), ordered by key, into one Mapping per key.
std::vector<Mapping> read_mappings(Query& query) {
  std::vector<Mapping> mappings;
  while (query->executeStep()) {
    std::string key = query->getColumn(0).getString();
    if (mappings.empty() || mappings.back().key != key) {
      Mapping& mapping = mappings.emplace_back();
      mapping.key = std::move(key);
      mapping.skill = query->getColumn(1).getString();
      mapping.skill_version = query->getColumn(2).getString();
      mapping.confirmations = query->getColumn(3).getInt64();
      mapping.rejections = query->getColumn(4).getInt64();
      mapping.first_seen = detail::from_millis(query->getColumn(5).getInt64());
      mapping.last_used = detail::from_millis(query->getColumn(6).getInt64());
    }
    if (!query->getColumn(7).isNull())
      mappings.back().rejected.push_back(query->getColumn(7).getString());
  }
  return mappings;
}

// Sets the key's skill, creating the row; a change of skill restarts its confirmations.
void equip(Connection& db, std::string_view key, std::string_view skill,
           std::string_view skill_version, std::int64_t now) {
  Query query(db,
              "INSERT INTO mappings (key, skill, skill_version, first_seen_ms, last_used_ms) "
              "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (key) DO UPDATE SET "
              "confirmations = CASE WHEN skill = excluded.skill THEN confirmations ELSE 0 END, "
              "skill = excluded.skill, skill_version = excluded.skill_version, "
              "last_used_ms = excluded.last_used_ms");
  query.bind_text(1, key);
  query.bind_text(2, skill);
  query.bind_text(3, skill_version);
  query->bind(4, now);
  query->exec();
}

}  // namespace

std::vector<Mapping> detail::list_mappings(Connection& db) {
  Query query(db,
              "SELECT m.key, m.skill, m.skill_version, m.confirmations, m.rejections, "
              "m.first_seen_ms, m.last_used_ms, r.skill FROM mappings m "
              "LEFT JOIN mapping_rejections r ON r.key = m.key ORDER BY m.key, r.skill");
  return read_mappings(query);
}

Mappings::Mappings(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

std::optional<Mapping> Mappings::find(std::string_view key) const {
  return connection_->run([&](Connection& db) -> std::optional<Mapping> {
    Query query(db,
                "SELECT m.key, m.skill, m.skill_version, m.confirmations, m.rejections, "
                "m.first_seen_ms, m.last_used_ms, r.skill FROM mappings m "
                "LEFT JOIN mapping_rejections r ON r.key = m.key "
                "WHERE m.key = ?1 ORDER BY r.skill");
    query.bind_text(1, key);
    auto found = read_mappings(query);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<Mapping> Mappings::list() const {
  return connection_->run([](Connection& db) { return detail::list_mappings(db); });
}

std::int64_t Mappings::count() const {
  return connection_->run([&](Connection& db) {
    Query query(db, "SELECT count(*) FROM mappings");
    query->executeStep();
    return query->getColumn(0).getInt64();
  });
}

void Mappings::upsert(std::string_view key, std::string_view skill,
                      std::string_view skill_version) {
  connection_->run([&](Connection& db) {
    // One statement is its own transaction; SQLite takes the write lock for it.
    equip(db, key, skill, skill_version, detail::now_millis());
  });
}

void Mappings::confirm(std::string_view key, std::string_view skill,
                       std::string_view skill_version) {
  connection_->run([&](Connection& db) {
    SQLite::Transaction transaction(db.database(), SQLite::TransactionBehavior::IMMEDIATE);
    equip(db, key, skill, skill_version, detail::now_millis());
    {
      Query query(db, "UPDATE mappings SET confirmations = confirmations + 1 WHERE key = ?1");
      query.bind_text(1, key);
      query->exec();
    }
    Query query(db, "DELETE FROM mapping_rejections WHERE key = ?1 AND skill = ?2");
    query.bind_text(1, key);
    query.bind_text(2, skill);
    query->exec();
    transaction.commit();
  });
}

void Mappings::reject(std::string_view key, std::string_view skill) {
  connection_->run([&](Connection& db) {
    const std::int64_t now = detail::now_millis();
    SQLite::Transaction transaction(db.database(), SQLite::TransactionBehavior::IMMEDIATE);
    {
      // A key first met through a rejection has a mapping with no skill yet.
      Query query(db,
                  "INSERT INTO mappings (key, skill, skill_version, rejections, first_seen_ms, "
                  "last_used_ms) VALUES (?1, '', '', 1, ?2, ?2) ON CONFLICT (key) DO UPDATE SET "
                  "rejections = rejections + 1, last_used_ms = excluded.last_used_ms, "
                  "skill = CASE WHEN skill = ?3 THEN '' ELSE skill END, "
                  "skill_version = CASE WHEN skill = ?3 THEN '' ELSE skill_version END, "
                  "confirmations = CASE WHEN skill = ?3 THEN 0 ELSE confirmations END");
      query.bind_text(1, key);
      query->bind(2, now);
      query.bind_text(3, skill);
      query->exec();
    }
    Query query(db,
                "INSERT INTO mapping_rejections (key, skill, time_ms) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (key, skill) DO UPDATE SET time_ms = excluded.time_ms");
    query.bind_text(1, key);
    query.bind_text(2, skill);
    query->bind(3, now);
    query->exec();
    transaction.commit();
  });
}

bool Mappings::forget(std::string_view key) {
  return connection_->run([&](Connection& db) {
    SQLite::Transaction transaction(db.database(), SQLite::TransactionBehavior::IMMEDIATE);
    {
      Query query(db, "DELETE FROM mapping_rejections WHERE key = ?1");
      query.bind_text(1, key);
      query->exec();
    }
    Query query(db, "DELETE FROM mappings WHERE key = ?1");
    query.bind_text(1, key);
    const bool existed = query->exec() > 0;
    transaction.commit();
    return existed;
  });
}

}  // namespace requip::memory

#include "sqlite_schema.hpp"

#include <fmt/format.h>

#include <array>

#include <SQLiteCpp/Transaction.h>

#include "requip/memory/store.hpp"

namespace requip::memory::detail {

namespace {

// The schema's history. A step, once released, is never edited: files in the field were made
// by it. A change is a new step at the end.
constexpr std::array<const char*, Store::schema_version> steps = {
    // v1: memento, mappings with counts, feedback log.
    R"sql(
      CREATE TABLE memento (
        space TEXT NOT NULL,
        key   TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (space, key)
      ) WITHOUT ROWID;
      CREATE TABLE mappings (
        key           TEXT PRIMARY KEY,
        skill         TEXT NOT NULL,
        skill_version TEXT NOT NULL,
        confirmations INTEGER NOT NULL DEFAULT 0,
        rejections    INTEGER NOT NULL DEFAULT 0,
        first_seen_ms INTEGER NOT NULL,
        last_used_ms  INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE feedback (
        id      INTEGER PRIMARY KEY,
        session TEXT NOT NULL,
        turn    INTEGER NOT NULL,
        key     TEXT NOT NULL,
        text    TEXT NOT NULL,
        skill   TEXT NOT NULL,
        verdict TEXT NOT NULL,
        time_ms INTEGER NOT NULL
      );
      CREATE INDEX feedback_by_key ON feedback (key, id);
    )sql",
    // v2: the skills rejected per key, and versioned blobs.
    R"sql(
      CREATE TABLE mapping_rejections (
        key     TEXT NOT NULL,
        skill   TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        PRIMARY KEY (key, skill)
      ) WITHOUT ROWID;
      CREATE TABLE blobs (
        name    TEXT NOT NULL,
        version INTEGER NOT NULL,
        bytes   BLOB NOT NULL,
        time_ms INTEGER NOT NULL,
        PRIMARY KEY (name, version)
      );
    )sql",
    // v3: skills' memory is kept per user. What was stored before was one local user's (the
    // chat's), so it becomes the local user's: "notes" -> "users/local/notes".
    R"sql(
      UPDATE memento SET space = 'users/local/' || space;
    )sql",
    // v4: nothing changes here; PostgreSQL's notices of changes left its triggers.
    "-- no change",
};

}  // namespace

void migrate_sqlite(SQLite::Database& database) {
  for (int target = 1; target <= Store::schema_version; ++target) {
    SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
    const int version = database.execAndGet("PRAGMA user_version").getInt();
    if (version >= target) continue;  // another process got here first
    database.exec(steps[static_cast<std::size_t>(target - 1)]);
    // PRAGMAs take no parameters; both numbers are ours, never user text.
    database.exec(fmt::format("PRAGMA application_id = {}", sqlite_application_id));
    database.exec(fmt::format("PRAGMA user_version = {}", target));
    transaction.commit();
  }
}

}  // namespace requip::memory::detail

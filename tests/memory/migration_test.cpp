#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include "requip/memory/store.hpp"
#include "temp_dir.hpp"

using requip::memory::Store;

namespace {

// A database exactly as schema version 1 left it, with some of everything in it.
void make_v1_fixture(const std::filesystem::path& file) {
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(R"sql(
    CREATE TABLE memento (space TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
                          PRIMARY KEY (space, key)) WITHOUT ROWID;
    CREATE TABLE mappings (key TEXT PRIMARY KEY, skill TEXT NOT NULL,
                           skill_version TEXT NOT NULL,
                           confirmations INTEGER NOT NULL DEFAULT 0,
                           rejections INTEGER NOT NULL DEFAULT 0,
                           first_seen_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL)
                           WITHOUT ROWID;
    CREATE TABLE feedback (id INTEGER PRIMARY KEY, session TEXT NOT NULL, turn INTEGER NOT NULL,
                           key TEXT NOT NULL, text TEXT NOT NULL, skill TEXT NOT NULL,
                           verdict TEXT NOT NULL, time_ms INTEGER NOT NULL);
    CREATE INDEX feedback_by_key ON feedback (key, id);
    INSERT INTO memento VALUES ('notebook', 'note-1', CAST('buy milk' AS BLOB));
    INSERT INTO mappings VALUES ('what time is it', 'clock', '0.9', 4, 1,
                                 1700000000000, 1700000500000);
    INSERT INTO feedback VALUES (1, 'A', 3, 'what time is it', 'thanks', 'clock', 'confirm',
                                 1700000400000);
    PRAGMA application_id = 1919250800;
    PRAGMA user_version = 1;
  )sql");
}

}  // namespace

TEST_CASE("migration: a v1 database opens at the current schema with its data intact",
          "[memory][migration]") {
  requip::test::TempDir dir;
  const auto file = dir / "requip.db";
  make_v1_fixture(file);
  {
    Store store(file);
    CHECK(store.stats().schema_version == Store::schema_version);
    // What was stored before memory was kept per user belonged to the chat's local user.
    CHECK(store.memento()->get("users/local/notebook", "note-1") == "buy milk");
    CHECK_FALSE(store.memento()->get("notebook", "note-1"));

    auto mapping = store.mappings().find("what time is it");
    REQUIRE(mapping.has_value());
    CHECK(mapping->skill == "clock");
    CHECK(mapping->skill_version == "0.9");
    CHECK(mapping->confirmations == 4);
    CHECK(mapping->rejections == 1);
    CHECK(mapping->rejected.empty());
    CHECK(mapping->first_seen ==
          std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000)));
    CHECK(mapping->last_used ==
          std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000500000)));

    auto log = store.feedback().latest(10);
    REQUIRE(log.size() == 1);
    CHECK(log[0].session == "A");
    CHECK(log[0].verdict == requip::memory::Verdict::confirm);

    // What v2 added works on the migrated file.
    store.mappings().reject("what time is it", "parrot");
    CHECK(store.blobs().put("router.weights", "w") == 1);
    CHECK(store.integrity_check() == "ok");
  }
  SQLite::Database raw(file.string());
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == Store::schema_version);
}

TEST_CASE("migration: opening a current file again changes nothing", "[memory][migration]") {
  requip::test::TempDir dir;
  { Store(dir / "requip.db").mappings().upsert("k", "s", "1"); }
  Store store(dir / "requip.db");
  CHECK(store.mappings().count() == 1);
  CHECK(store.stats().schema_version == Store::schema_version);
}

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <random>

#include "file_bytes.hpp"
#include "requip/memory/store.hpp"
#include "temp_dir.hpp"

using requip::memory::Store;
using requip::memory::StoreError;
using requip::memory::StoreErrorKind;
using requip::test::file_bytes;

namespace {

// Opening `file` must fail with `kind`, in one line that names the file, leaving the folder's
// files byte for byte as they were.
void require_refused(const std::filesystem::path& file, StoreErrorKind kind,
                     requip::memory::StoreOptions options = {}) {
  const auto folder = file.parent_path();
  std::map<std::string, std::string> before;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file()) before[entry.path().string()] = file_bytes(entry.path());
  }
  try {
    Store store(file, options);
    FAIL("the store opened " << file);
  } catch (const StoreError& error) {
    CHECK(error.kind() == kind);
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK(message.find('\n') == std::string::npos);
  }
  std::map<std::string, std::string> after;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file()) after[entry.path().string()] = file_bytes(entry.path());
  }
  CHECK(after == before);
}

}  // namespace

TEST_CASE("store: a new file is made in WAL mode, at the current schema, marked as requip's",
          "[memory][store]") {
  requip::test::TempDir dir;
  { Store store(dir / "sub" / "requip.db"); }
  SQLite::Database raw((dir / "sub" / "requip.db").string());
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == Store::schema_version);
  CHECK(raw.execAndGet("PRAGMA application_id").getInt() == 0x72657170);
}

TEST_CASE("store: a file of garbage bytes is refused and left untouched", "[memory][store]") {
  requip::test::TempDir dir;
  std::mt19937 random(42);
  std::string garbage(8192, '\0');
  for (auto& byte : garbage)
    byte = static_cast<char>(random());
  std::ofstream(dir / "requip.db", std::ios::binary) << garbage;
  require_refused(dir / "requip.db", StoreErrorKind::corrupt);
  CHECK(file_bytes(dir / "requip.db") == garbage);
}

TEST_CASE("store: a file from a newer schema version is refused and left untouched",
          "[memory][store]") {
  requip::test::TempDir dir;
  {
    Store store(dir / "requip.db");
    store.mappings().upsert("hi", "greeter", "1");
  }
  {
    SQLite::Database raw((dir / "requip.db").string(), SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 99");
  }
  require_refused(dir / "requip.db", StoreErrorKind::newer_schema);
}

TEST_CASE("store: another program's SQLite file is refused and left untouched", "[memory][store]") {
  requip::test::TempDir dir;
  {
    SQLite::Database raw((dir / "theirs.db").string(),
                         SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (1)");
  }
  require_refused(dir / "theirs.db", StoreErrorKind::foreign);
}

TEST_CASE("store: a directory where the file should be is refused", "[memory][store]") {
  requip::test::TempDir dir;
  std::filesystem::create_directory(dir / "requip.db");
  require_refused(dir / "requip.db", StoreErrorKind::not_a_file);
  CHECK(std::filesystem::is_empty(dir / "requip.db"));
}

TEST_CASE("store: a location that cannot be written is refused with the reason",
          "[memory][store]") {
  // /proc refuses new files even to root, so this holds whoever runs the tests.
  try {
    Store store("/proc/requip-test/requip.db");
    FAIL("the store opened under /proc");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreErrorKind::cannot_create);
    CHECK_THAT(error.what(), Catch::Contains("/proc/requip-test/requip.db"));
  }
  CHECK_FALSE(std::filesystem::exists("/proc/requip-test"));
}

TEST_CASE("store: with create_if_missing off, a missing file is reported, not created",
          "[memory][store]") {
  requip::test::TempDir dir;
  requip::memory::StoreOptions options;
  options.create_if_missing = false;
  require_refused(dir / "requip.db", StoreErrorKind::missing, options);
  CHECK_FALSE(std::filesystem::exists(dir / "requip.db"));
}

TEST_CASE("store: durability FULL is applied to the connection", "[memory][store]") {
  requip::test::TempDir dir;
  requip::memory::StoreOptions options;
  options.durability = requip::memory::Durability::full;
  Store store(dir / "requip.db", options);
  store.mappings().upsert("k", "s", "1");
  CHECK(store.mappings().find("k").has_value());
  CHECK(store.integrity_check() == "ok");
}

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <random>

#include "file_bytes.hpp"
#include "requip/memory/store.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::file_bytes;
using requip::test::run_requip;

namespace {

// `requip chat` and `requip memory stats` both refuse `db` with one line on stderr that names
// it and contains `reason`, exit non-zero, and leave the file byte for byte as it was.
void require_refused(const std::string& db, const std::string& reason) {
  const bool is_file = std::filesystem::is_regular_file(db);
  const std::string before = is_file ? file_bytes(db) : "";
  for (const auto& command : {std::vector<std::string>{"--db", db, "chat"},
                              std::vector<std::string>{"--db", db, "memory", "stats"}}) {
    auto result = run_requip(command, "take a note this\n");
    INFO(command[2] << ": " << result.err);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.err, Catch::Contains(db) && Catch::Contains(reason));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(result.out.empty());
  }
  if (is_file) CHECK(file_bytes(db) == before);
}

std::string make_database(const requip::test::TempDir& dir) {
  const auto db = (dir / "requip.db").string();
  requip::memory::Store(db).memento()->put("notebook", "note-000001", "keep me");
  return db;
}

}  // namespace

TEST_CASE("bad database: garbage bytes are refused, never overwritten", "[cli][memory][bad]") {
  requip::test::TempDir dir;
  const auto db = (dir / "requip.db").string();
  std::mt19937 random(3);
  std::string garbage(16384, '\0');
  for (auto& byte : garbage)
    byte = static_cast<char>(random());
  std::ofstream(db, std::ios::binary) << garbage;
  require_refused(db, "is not a requip database or is damaged");
}

TEST_CASE("bad database: a newer schema version is refused, never migrated", "[cli][memory][bad]") {
  requip::test::TempDir dir;
  const auto db = make_database(dir);
  {
    // The newest schema this build knows, plus one, as a newer requip would leave it.
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec(fmt::format("PRAGMA user_version = {}", requip::memory::Store::schema_version + 1));
  }
  require_refused(db, "newer than the");
}

TEST_CASE("bad database: a directory where the file should be is refused", "[cli][memory][bad]") {
  requip::test::TempDir dir;
  std::filesystem::create_directory(dir / "requip.db");
  require_refused((dir / "requip.db").string(), "is a directory");
  CHECK(std::filesystem::is_empty(dir / "requip.db"));
}

TEST_CASE("bad database: a folder that cannot be created is refused", "[cli][memory][bad]") {
  // /proc takes no new entries, not even from root.
  const std::string db = "/proc/requip-test/requip.db";
  auto chat = run_requip({"--db", db, "chat"}, "take a note this\n");
  CHECK(chat.exit_code != 0);
  CHECK_THAT(chat.err, Catch::Contains(db + ": cannot create its folder"));
  auto stats = run_requip({"--db", db, "memory", "stats"});
  CHECK(stats.exit_code != 0);
  CHECK_THAT(stats.err, Catch::Contains(db + ": does not exist"));
}

TEST_CASE("bad database: a database on a read-only file system is refused, unchanged",
          "[cli][memory][bad]") {
  // Tests may run as root, for whom permission bits do not stop writes; a read-only bind
  // mount in a private mount namespace does.
  requip::test::TempDir dir;
  const auto db = make_database(dir);
  const std::string before = file_bytes(db);
  const auto folder = dir.path().string();
  for (const char* command : {"chat", "memory stats"}) {
    auto result = requip::test::run_process(
        {"/usr/bin/unshare", "--user", "--map-root-user", "--mount", "/bin/sh", "-c",
         fmt::format("mount --bind -o ro '{0}' '{0}' && exec '{1}' --db '{2}' {3}", folder,
                     requip::test::requip_binary(), db, command)},
        "take a note this\n");
    INFO(command << ": " << result.err);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.err, Catch::Contains(db) && Catch::Contains("cannot be written"));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  CHECK(file_bytes(db) == before);
  CHECK(requip::memory::Store(db).memento()->get("notebook", "note-000001") == "keep me");
}

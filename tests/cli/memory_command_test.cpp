#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "file_bytes.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {

// A database made the way users make one: by chatting.
std::string chatted_database(const requip::test::TempDir& dir) {
  const std::string db = (dir / "requip.db").string();
  auto result = run_requip({"--db", db, "chat"}, "take a note buy milk\nhello\n");
  REQUIRE(result.exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("memory stats: describes what the database holds", "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = chatted_database(dir);
  auto result = run_requip({"--db", db, "memory", "stats"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains(db));
  CHECK_THAT(result.out, Catch::Contains("journal wal, synchronous normal"));
  // The note, and the router's state of the conversation.
  CHECK_THAT(result.out, Catch::Contains("memento    2 values in 2 namespaces"));
  CHECK_THAT(result.out, Catch::Contains("check      ok"));
}

TEST_CASE("memory export --json: prints the whole store as JSON", "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = chatted_database(dir);
  auto result = run_requip({"memory", "export", "--json", "--db", db});
  REQUIRE(result.exit_code == 0);
  auto dump = nlohmann::json::parse(result.out);
  const auto notes = dump.at("memento").at("users/local/notes");
  REQUIRE(notes.size() == 1);
  CHECK(notes.begin().key().starts_with("note-"));
  CHECK(notes.begin().value() == "buy milk");
  CHECK(dump.at("memento").at("users/local/router").contains("conversation"));
  CHECK(dump.at("mappings").is_array());
  CHECK(dump.at("feedback").is_array());
  CHECK(dump.at("blobs").is_array());
}

TEST_CASE("memory export: without a format it says which to choose", "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = chatted_database(dir);
  auto result = run_requip({"--db", db, "memory", "export"});
  CHECK(result.exit_code != 0);
  CHECK(result.err == "requip: memory export: choose a format: --json\n");
}

TEST_CASE("memory backup: writes a copy that opens, and never overwrites a file", "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = chatted_database(dir);
  const auto copy = (dir / "copy.db").string();
  auto result = run_requip({"--db", db, "memory", "backup", copy});
  CHECK(result.exit_code == 0);
  auto stats = run_requip({"--db", copy, "memory", "stats"});
  CHECK(stats.exit_code == 0);
  CHECK_THAT(stats.out, Catch::Contains("memento    2 values"));

  const std::string before = requip::test::file_bytes(copy);
  auto again = run_requip({"--db", db, "memory", "backup", copy});
  CHECK(again.exit_code != 0);
  CHECK_THAT(again.err, Catch::Contains("backup " + copy + ": already exists"));
  CHECK(requip::test::file_bytes(copy) == before);
}

TEST_CASE("memory: a missing database is reported, not created", "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = (dir / "nothing.db").string();
  auto result = run_requip({"--db", db, "memory", "stats"});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains(db + ": does not exist"));
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("memory: REQUIP_DB picks the database, and the default is under XDG_DATA_HOME",
          "[cli][memory]") {
  requip::test::TempDir dir;
  const auto db = (dir / "from-env.db").string();
  CHECK(run_requip({"chat"}, "take a note x\n", {{"REQUIP_DB", db}}).exit_code == 0);
  CHECK(std::filesystem::exists(db));
  CHECK(
      run_requip({"chat"}, "take a note y\n", {{"XDG_DATA_HOME", dir.path().string()}}).exit_code ==
      0);
  CHECK(std::filesystem::exists(dir / "requip" / "requip.db"));
}

TEST_CASE("bench memory --json prints one object with upserts and reads per second",
          "[cli][bench][memory]") {
  requip::test::TempDir dir;
  auto result = run_requip({"bench", "memory", "--json", "--upserts", "200", "--reads", "2000",
                            "--dir", dir.path().string()});
  REQUIRE(result.exit_code == 0);
  auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.size() == 2);
  CHECK(figures.at("upserts_per_s").get<double>() > 0);
  CHECK(figures.at("reads_per_s").get<double>() > 0);
  CHECK(std::filesystem::is_empty(dir.path()));  // scratch databases are removed
}

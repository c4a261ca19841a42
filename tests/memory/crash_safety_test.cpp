#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

namespace {

// What the writer acknowledged: each of these had committed before its line was printed.
struct Acknowledged {
  std::set<long> mappings, feedback, memento;
  long blob_version = 0;
  long last_index = -1;

  void take(const std::string& line) {
    std::istringstream words(line);
    std::string what;
    long number = 0;
    words >> what >> number;
    if (what == "mapping") mappings.insert(number);
    if (what == "feedback") feedback.insert(number);
    if (what == "memento") memento.insert(number);
    if (what == "blob") blob_version = std::max(blob_version, number);
    if (what != "blob") last_index = std::max(last_index, number);
  }
};

}  // namespace

TEST_CASE("crash safety: every acknowledged write survives kill -9, 20 rounds", "[memory][crash]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  const auto db = where.db();
  std::mt19937 random(20261122);
  std::uniform_int_distribution<int> delay_ms(1, 80);
  Acknowledged acknowledged;
  int rounds_with_writes = 0;
  for (int round = 0; round < 20; ++round) {
    requip::test::ChildProcess writer(
        {CRASH_WRITER, db, std::to_string(acknowledged.last_index + 1)});
    // Start the clock at the first commit, so that every round kills mid-writing.
    auto first = writer.read_line();
    REQUIRE(first.has_value());
    acknowledged.take(*first);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    writer.kill_now();
    while (auto line = writer.read_line())
      acknowledged.take(*line);
    ++rounds_with_writes;
  }
  INFO("acknowledged " << acknowledged.mappings.size() << " mappings");
  REQUIRE(rounds_with_writes == 20);
  REQUIRE(acknowledged.mappings.size() > 20);

  if (backend == requip::test::Backend::sqlite) {
    SQLite::Database raw(db);
    CHECK(raw.execAndGet("PRAGMA integrity_check").getString() == "ok");
  }
  Store store(db);
  for (long i : acknowledged.mappings) {
    auto mapping = store.mappings().find("key-" + std::to_string(i));
    REQUIRE(mapping.has_value());
    CHECK(mapping->skill == "skill-" + std::to_string(i % 7));
  }
  std::set<long> logged;
  for (const auto& entry : store.feedback().latest(1'000'000))
    logged.insert(entry.turn);
  for (long i : acknowledged.feedback)
    REQUIRE(logged.count(i) == 1);
  for (long i : acknowledged.memento) {
    REQUIRE(store.memento()->get("crash", "key-" + std::to_string(i)) ==
            std::string(static_cast<std::size_t>(i % 4000), 'v'));
  }
  if (acknowledged.blob_version > 0) {
    CHECK(store.blobs().latest("weights")->version >= acknowledged.blob_version);
  }
  CHECK(store.integrity_check() == "ok");
}

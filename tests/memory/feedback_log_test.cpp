#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::FeedbackEntry;
using requip::memory::Store;
using requip::memory::Verdict;

namespace {
FeedbackEntry entry(std::string session, std::int64_t turn, std::string key, Verdict verdict) {
  FeedbackEntry result;
  result.session = std::move(session);
  result.turn = turn;
  result.key = std::move(key);
  result.text = verdict == Verdict::confirm ? "thanks" : "wrong";
  result.skill = "clock";
  result.verdict = verdict;
  return result;
}
}  // namespace

TEST_CASE("feedback: entries are appended with increasing ids and read back in full",
          "[memory][feedback]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& log = store.feedback();
  const auto first = log.append(entry("A", 1, "time", Verdict::confirm));
  const auto second = log.append(entry("B", 7, "date", Verdict::major_complaint));
  CHECK(second > first);
  auto latest = log.latest(10);
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].id == first);
  CHECK(latest[1].session == "B");
  CHECK(latest[1].turn == 7);
  CHECK(latest[1].key == "date");
  CHECK(latest[1].text == "wrong");
  CHECK(latest[1].skill == "clock");
  CHECK(latest[1].verdict == Verdict::major_complaint);
  CHECK(latest[1].time > std::chrono::system_clock::time_point{});
  CHECK(log.count() == 2);
}

TEST_CASE("feedback: latest and for_key return the newest entries, oldest first",
          "[memory][feedback]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& log = store.feedback();
  for (int turn = 1; turn <= 5; ++turn) {
    log.append(entry("A", turn, turn % 2 == 0 ? "even" : "odd", Verdict::minor_complaint));
  }
  auto latest = log.latest(2);
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].turn == 4);
  CHECK(latest[1].turn == 5);
  auto odd = log.for_key("odd", 2);
  REQUIRE(odd.size() == 2);
  CHECK(odd[0].turn == 3);
  CHECK(odd[1].turn == 5);
  CHECK(log.for_key("none").empty());
}

TEST_CASE("feedback: verdicts have stable names", "[memory][feedback]") {
  for (auto verdict : {Verdict::confirm, Verdict::minor_complaint, Verdict::major_complaint}) {
    CHECK(requip::memory::verdict_from_string(requip::memory::to_string(verdict)) == verdict);
  }
  CHECK(requip::memory::to_string(Verdict::major_complaint) == "major_complaint");
  CHECK_THROWS_WITH(requip::memory::verdict_from_string("meh"),
                    Catch::Contains("unknown verdict 'meh'"));
}

TEST_CASE("feedback: a reader catches up with the entries after the last id it saw, in order",
          "[memory][feedback]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store writer(where.db());
  Store reader(where.db());
  std::vector<std::int64_t> ids;
  for (int turn = 1; turn <= 5; ++turn)
    ids.push_back(writer.feedback().append(entry("A", turn, "time", Verdict::confirm)));
  const auto first_two = reader.feedback().after(0, 2);
  REQUIRE(first_two.size() == 2);
  CHECK(first_two[0].id == ids[0]);
  CHECK(first_two[1].id == ids[1]);
  const auto rest = reader.feedback().after(first_two[1].id, 100);
  REQUIRE(rest.size() == 3);
  CHECK(rest[0].id == ids[2]);
  CHECK(rest[2].turn == 5);
  CHECK(reader.feedback().after(ids.back(), 100).empty());
}

TEST_CASE("feedback: another connection's append moves outside_writes", "[memory][feedback]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store writer(where.db());
  Store reader(where.db());
  const auto before = reader.feedback().outside_writes();
  writer.feedback().append(entry("A", 1, "time", Verdict::confirm));
  // A PostgreSQL notice travels through the server's socket: it arrives, but not at once.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (reader.feedback().outside_writes() == before &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(reader.feedback().outside_writes() != before);
}

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <thread>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

TEST_CASE("concurrency: sessions on many threads share one store and lose nothing",
          "[memory][concurrency]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  constexpr int threads = 8, rounds = 200;
  std::vector<std::thread> sessions;
  for (int t = 0; t < threads; ++t) {
    sessions.emplace_back([&store, t] {
      const std::string session = fmt::format("s{}", t);
      for (int i = 0; i < rounds; ++i) {
        const std::string key = fmt::format("{}-{}", session, i);
        store.mappings().upsert(key, "skill", "1");
        store.mappings().confirm("shared", "skill", "1");
        store.memento()->put(session, key, key);
        requip::memory::FeedbackEntry entry;
        entry.session = session;
        entry.turn = i;
        entry.key = key;
        store.feedback().append(entry);
        // Each thread reads what it just wrote.
        if (!store.mappings().find(key) || store.memento()->get(session, key) != key) {
          throw std::runtime_error("a write was not visible to its own session");
        }
      }
    });
  }
  for (auto& session : sessions)
    session.join();
  CHECK(store.mappings().count() == threads * rounds + 1);
  CHECK(store.mappings().find("shared")->confirmations == threads * rounds);
  CHECK(store.feedback().count() == threads * rounds);
  CHECK(store.memento()->keys("s3").size() == rounds);
}

TEST_CASE("concurrency: two stores on one file, as two processes would, lose no update",
          "[memory][concurrency]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store first(where.db()), second(where.db());
  constexpr int rounds = 300;
  auto confirm_many = [](Store& store) {
    for (int i = 0; i < rounds; ++i) {
      store.mappings().confirm("shared", "clock", "1");
      store.blobs().put("weights", "w");
    }
  };
  std::thread a(confirm_many, std::ref(first)), b(confirm_many, std::ref(second));
  a.join();
  b.join();
  CHECK(first.mappings().find("shared")->confirmations == 2 * rounds);
  CHECK(second.blobs().latest("weights")->version == 2 * rounds);
  CHECK(second.integrity_check() == "ok");
}

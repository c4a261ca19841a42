#include <catch2/catch.hpp>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

TEST_CASE("memento: values are kept per namespace and survive reopening", "[memory][memento]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  {
    Store store(where.db());
    auto memento = store.memento();
    memento->put("notes", "b", "second");
    memento->put("notes", "a", "first");
    memento->put("clock", "a", "other space");
    memento->put("notes", "a", "first, updated");
  }
  Store store(where.db());
  auto memento = store.memento();
  CHECK(memento->get("notes", "a") == "first, updated");
  CHECK(memento->get("clock", "a") == "other space");
  CHECK(memento->keys("notes") == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(memento->get("notes", "missing").has_value());
}

TEST_CASE("memento: erase says whether the key existed", "[memory][memento]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto memento = store.memento();
  memento->put("notes", "a", "x");
  CHECK(memento->erase("notes", "a"));
  CHECK_FALSE(memento->erase("notes", "a"));
  CHECK(memento->keys("notes").empty());
}

TEST_CASE("memento: values are stored byte for byte, empty and binary included",
          "[memory][memento]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto memento = store.memento();
  const std::string binary("a\0b\xff", 4);
  memento->put("raw", "binary", binary);
  memento->put("raw", "empty", "");
  CHECK(memento->get("raw", "binary") == binary);
  CHECK(memento->get("raw", "empty") == std::string());
}

TEST_CASE("memento: user text that looks like SQL is only ever data", "[memory][memento]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto memento = store.memento();
  const std::string hostile = "x'); DROP TABLE memento; --";
  memento->put(hostile, hostile, hostile);
  CHECK(memento->get(hostile, hostile) == hostile);
  CHECK(memento->keys(hostile) == std::vector<std::string>{hostile});
}

TEST_CASE("memento: it outlives the Store that made it", "[memory][memento]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  std::shared_ptr<requip::Memento> memento;
  {
    Store store(where.db());
    memento = store.memento();
  }
  memento->put("notes", "a", "still works");
  CHECK(memento->get("notes", "a") == "still works");
}

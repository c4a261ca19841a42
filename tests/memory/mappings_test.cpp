#include <catch2/catch.hpp>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

TEST_CASE("mappings: upsert creates a mapping, find reads it back", "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  store.mappings().upsert("weather in paris", "weather", "1.2.0");
  auto mapping = store.mappings().find("weather in paris");
  REQUIRE(mapping.has_value());
  CHECK(mapping->key == "weather in paris");
  CHECK(mapping->skill == "weather");
  CHECK(mapping->skill_version == "1.2.0");
  CHECK(mapping->confirmations == 0);
  CHECK(mapping->rejections == 0);
  CHECK(mapping->rejected.empty());
  CHECK(mapping->first_seen >= before);
  CHECK(mapping->last_used >= mapping->first_seen);
  CHECK_FALSE(store.mappings().find("unknown").has_value());
}

TEST_CASE("mappings: confirm counts for the current skill and restarts on a new skill",
          "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& mappings = store.mappings();
  mappings.confirm("hi", "greeter", "1");
  mappings.confirm("hi", "greeter", "1");
  CHECK(mappings.find("hi")->confirmations == 2);
  mappings.upsert("hi", "greeter", "2");  // same skill, new version: counts kept
  CHECK(mappings.find("hi")->confirmations == 2);
  CHECK(mappings.find("hi")->skill_version == "2");
  mappings.upsert("hi", "parrot", "1");
  CHECK(mappings.find("hi")->skill == "parrot");
  CHECK(mappings.find("hi")->confirmations == 0);
}

TEST_CASE("mappings: reject records the skill, counts, and unequips it if it was mapped",
          "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& mappings = store.mappings();
  mappings.confirm("time please", "clock", "1");
  mappings.reject("time please", "parrot");
  auto mapping = mappings.find("time please");
  CHECK(mapping->skill == "clock");
  CHECK(mapping->confirmations == 1);
  CHECK(mapping->rejections == 1);
  CHECK(mapping->rejected == std::vector<std::string>{"parrot"});

  mappings.reject("time please", "clock");
  mapping = mappings.find("time please");
  CHECK(mapping->skill.empty());
  CHECK(mapping->confirmations == 0);
  CHECK(mapping->rejections == 2);
  CHECK(mapping->rejected == std::vector<std::string>{"clock", "parrot"});
}

TEST_CASE("mappings: a key first met by a rejection has no skill yet", "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  store.mappings().reject("new key", "parrot");
  auto mapping = store.mappings().find("new key");
  REQUIRE(mapping.has_value());
  CHECK(mapping->skill.empty());
  CHECK(mapping->rejected == std::vector<std::string>{"parrot"});
}

TEST_CASE("mappings: confirming a rejected skill takes it off the rejected set",
          "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& mappings = store.mappings();
  mappings.reject("k", "a");
  mappings.reject("k", "b");
  mappings.confirm("k", "a", "1");
  auto mapping = mappings.find("k");
  CHECK(mapping->skill == "a");
  CHECK(mapping->rejected == std::vector<std::string>{"b"});
  CHECK(mapping->rejections == 2);
}

TEST_CASE("mappings: list is sorted by key, forget removes a key with its rejections",
          "[memory][mappings]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& mappings = store.mappings();
  mappings.upsert("b", "parrot", "1");
  mappings.upsert("a", "greeter", "1");
  mappings.reject("a", "clock");
  auto all = mappings.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].key == "a");
  CHECK(all[0].rejected == std::vector<std::string>{"clock"});
  CHECK(all[1].key == "b");
  CHECK(mappings.count() == 2);

  CHECK(mappings.forget("a"));
  CHECK_FALSE(mappings.forget("a"));
  CHECK_FALSE(mappings.find("a").has_value());
  mappings.upsert("a", "greeter", "1");
  CHECK(mappings.find("a")->rejected.empty());
}

#include <catch2/catch.hpp>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

TEST_CASE("blobs: each put is a new version and latest returns the newest", "[memory][blobs]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& blobs = store.blobs();
  const std::string weights_v1("\x00\x01\x02", 3), weights_v2(100'000, '\x7f');
  CHECK(blobs.put("router.weights", weights_v1) == 1);
  CHECK(blobs.put("router.weights", weights_v2) == 2);
  CHECK(blobs.put("other", "") == 1);
  auto latest = blobs.latest("router.weights");
  REQUIRE(latest.has_value());
  CHECK(latest->version == 2);
  CHECK(latest->bytes == weights_v2);
  CHECK(blobs.get("router.weights", 1)->bytes == weights_v1);
  CHECK(blobs.latest("other")->bytes.empty());
  CHECK_FALSE(blobs.latest("missing").has_value());
  CHECK_FALSE(blobs.get("router.weights", 3).has_value());
}

TEST_CASE("blobs: list describes every name without reading the bytes", "[memory][blobs]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& blobs = store.blobs();
  blobs.put("b", std::string(10, 'x'));
  blobs.put("b", std::string(30, 'x'));
  blobs.put("a", "1");
  auto infos = blobs.list();
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].name == "a");
  CHECK(infos[1].name == "b");
  CHECK(infos[1].latest_version == 2);
  CHECK(infos[1].versions == 2);
  CHECK(infos[1].latest_size == 30);
  CHECK(infos[1].total_size == 40);
}

TEST_CASE("blobs: prune keeps the newest versions and numbering goes on", "[memory][blobs]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  auto& blobs = store.blobs();
  for (int i = 1; i <= 5; ++i)
    blobs.put("ckpt", std::to_string(i));
  CHECK(blobs.prune("ckpt", 2) == 3);
  CHECK_FALSE(blobs.get("ckpt", 3).has_value());
  CHECK(blobs.get("ckpt", 4)->bytes == "4");
  CHECK(blobs.prune("ckpt", 0) == 1);  // at least one version always stays
  CHECK(blobs.latest("ckpt")->bytes == "5");
  CHECK(blobs.put("ckpt", "6") == 6);
}

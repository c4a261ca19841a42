#include <catch2/catch.hpp>

#include "file_bytes.hpp"
#include "requip/memory/store.hpp"
#include "temp_dir.hpp"

using requip::memory::Store;

TEST_CASE("backup: the copy opens as a store with the same data", "[memory][backup]") {
  requip::test::TempDir dir;
  Store store(dir / "requip.db");
  store.memento()->put("notes", "a", "kept");
  store.mappings().confirm("hi", "greeter", "1");
  store.blobs().put("weights", std::string(200'000, 'w'));
  int last_copied = -1, last_total = -1;
  store.backup(dir / "copy.db", [&](int copied, int total) {
    last_copied = copied;
    last_total = total;
  });
  CHECK(last_total > 0);
  CHECK(last_copied == last_total);
  CHECK_FALSE(std::filesystem::exists(dir / "copy.db.partial"));

  Store copy(dir / "copy.db");
  CHECK(copy.memento()->get("notes", "a") == "kept");
  CHECK(copy.mappings().find("hi")->confirmations == 1);
  CHECK(copy.blobs().latest("weights")->bytes.size() == 200'000);
  CHECK(copy.integrity_check() == "ok");
}

TEST_CASE("backup: an existing destination is refused and left as it was", "[memory][backup]") {
  requip::test::TempDir dir;
  Store store(dir / "requip.db");
  std::ofstream(dir / "precious") << "do not overwrite";
  CHECK_THROWS_WITH(store.backup(dir / "precious"), Catch::Contains("already exists"));
  CHECK(requip::test::file_bytes(dir / "precious") == "do not overwrite");
}

#include <catch2/catch.hpp>

#include <pqxx/pqxx>
#include <thread>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;
using requip::memory::StoreError;
using requip::memory::StoreErrorKind;
using requip::test::Backend;
using requip::test::postgres_available;
using requip::test::StoreLocation;

namespace {

// Opening `uri` must fail with `kind`, in one line that names the database.
void require_refused(const std::string& uri, StoreErrorKind kind, const std::string& named) {
  try {
    Store store(uri);
    FAIL("the store opened " << uri);
  } catch (const StoreError& error) {
    CHECK(error.kind() == kind);
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains(named));
    CHECK(message.find('\n') == std::string::npos);
  }
}

std::string single_value(const std::string& uri, const std::string& sql) {
  pqxx::connection connection(uri);
  pqxx::work work(connection);
  return work.exec1(sql)[0].as<std::string>();
}

}  // namespace

TEST_CASE(
    "postgres store: a server that cannot be reached is refused in one line, password left "
    "out",
    "[memory][postgres]") {
  // Nothing listens on port 1; the line names the server but never the password.
  const std::string uri = "postgresql://requip:secret@127.0.0.1:1/requip";
  require_refused(uri, StoreErrorKind::unavailable, "postgresql://requip@127.0.0.1:1/requip");
  try {
    Store store(uri);
  } catch (const StoreError& error) {
    CHECK_THAT(error.what(), !Catch::Contains("secret"));
  }
}

TEST_CASE("postgres store: another program's database is refused and left untouched",
          "[memory][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  {
    pqxx::connection connection(where.db());
    pqxx::work work(connection);
    work.exec("CREATE TABLE invoices (id INTEGER)");
    work.commit();
  }
  require_refused(where.db(), StoreErrorKind::foreign, where.db());
  CHECK(single_value(where.db(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") ==
        "1");
}

TEST_CASE("postgres store: a newer schema is refused and left untouched", "[memory][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  { Store store(where.db()); }
  {
    pqxx::connection connection(where.db());
    pqxx::work work(connection);
    work.exec("UPDATE requip_schema SET version = 99");
    work.commit();
  }
  require_refused(where.db(), StoreErrorKind::newer_schema, where.db());
  CHECK(single_value(where.db(), "SELECT version FROM requip_schema") == "99");
}

TEST_CASE(
    "postgres store: a version 3 database loses the triggers that sent notices inside "
    "transactions, and keeps its data",
    "[memory][postgres][migration]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  {
    Store store(where.db());
    store.mappings().confirm("lights on", "home", "1");
    store.memento()->put("users/alice/notes", "note-1", "buy milk");
  }
  {
    // Version 3 as it was released: a trigger on each table whose writes others must hear of.
    pqxx::connection connection(where.db());
    pqxx::work work(connection);
    work.exec(R"sql(
      UPDATE requip_schema SET version = 3;
      CREATE FUNCTION requip_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('requip_changes', ''); RETURN NULL; END $$;
      CREATE TRIGGER mappings_changed AFTER INSERT OR UPDATE OR DELETE ON mappings
        FOR EACH STATEMENT EXECUTE FUNCTION requip_changed();
      CREATE TRIGGER feedback_logged AFTER INSERT ON feedback
        FOR EACH STATEMENT EXECUTE FUNCTION requip_changed();
      CREATE TRIGGER mapping_rejections_changed AFTER INSERT OR UPDATE OR DELETE
        ON mapping_rejections FOR EACH STATEMENT EXECUTE FUNCTION requip_changed();
    )sql");
    work.commit();
  }
  Store store(where.db());
  CHECK(store.stats().schema_version == Store::schema_version);
  CHECK(single_value(where.db(), "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal") == "0");
  CHECK(store.mappings().find("lights on")->skill == "home");
  CHECK(store.memento()->get("users/alice/notes", "note-1") == "buy milk");
}

TEST_CASE("postgres store: replicas starting together migrate the database once",
          "[memory][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  std::vector<std::thread> replicas;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      Store store(where.db());
      if (store.stats().schema_version == Store::schema_version) ++opened;
    });
  }
  for (auto& replica : replicas)
    replica.join();
  CHECK(opened == 4);
  CHECK(single_value(where.db(), "SELECT count(*) FROM requip_schema") == "1");
}

TEST_CASE(
    "postgres store: calls fail as unavailable while the server is down and work again "
    "when it is back, nothing committed lost",
    "[memory][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  Store store(where.db());
  store.mappings().confirm("what time is it", "clock", "1");
  where.cluster()->stop();
  try {
    store.mappings().confirm("what time is it", "clock", "1");
    FAIL("a write succeeded with the server down");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreErrorKind::unavailable);
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(store.mappings().find("what time is it"), StoreError);
  where.cluster()->start();
  store.mappings().confirm("what time is it", "clock", "1");
  CHECK(store.mappings().find("what time is it")->confirmations == 2);
}

TEST_CASE("postgres store: a confirmation by one replica is read by another at once",
          "[memory][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  Store first(where.db()), second(where.db());
  CHECK_FALSE(second.mappings().find("lights on").has_value());  // cached as absent
  first.mappings().confirm("lights on", "home", "1");
  // The first's notice reaches the second replica's connection within a moment of the commit,
  // well before the second's own once-a-second look would have found it.
  std::optional<requip::memory::Mapping> seen;
  for (int i = 0; i < 30 && !seen; ++i) {
    seen = second.mappings().find("lights on");
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(seen.has_value());
  CHECK(seen->skill == "home");
}

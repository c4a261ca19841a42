#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "requip/memory/store.hpp"
#include "store_location.hpp"

using requip::memory::Store;

TEST_CASE("export: the dump holds every part of the store in readable JSON", "[memory][export]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  store.memento()->put("notebook", "note-1", "buy milk");
  store.mappings().confirm("what time is it", "clock", "1.0");
  store.mappings().reject("what time is it", "parrot");
  requip::memory::FeedbackEntry entry;
  entry.session = "A";
  entry.turn = 2;
  entry.key = "what time is it";
  entry.text = "thanks";
  entry.skill = "clock";
  store.feedback().append(entry);
  store.blobs().put("weights", "hi");

  const std::string text = store.export_json();
  CHECK(text.find('\n') != std::string::npos);  // indented for people
  const auto dump = nlohmann::json::parse(text);
  CHECK(dump.at("schema_version") == Store::schema_version);
  CHECK(dump.at("memento").at("notebook").at("note-1") == "buy milk");
  const auto& mapping = dump.at("mappings").at(0);
  CHECK(mapping.at("key") == "what time is it");
  CHECK(mapping.at("skill") == "clock");
  CHECK(mapping.at("confirmations") == 1);
  CHECK(mapping.at("rejected") == nlohmann::json::array({"parrot"}));
  CHECK(mapping.at("first_seen").get<std::string>().back() == 'Z');
  CHECK(dump.at("feedback").at(0).at("verdict") == "confirm");
  CHECK(dump.at("feedback").at(0).at("session") == "A");
  CHECK(dump.at("blobs").at(0).at("size_bytes") == 2);
  CHECK_FALSE(dump.at("blobs").at(0).contains("bytes_base64"));

  const auto with_bytes = nlohmann::json::parse(store.export_json(true));
  CHECK(with_bytes.at("blobs").at(0).at("bytes_base64") == "aGk=");
}

TEST_CASE("export: text that is not UTF-8 is replaced, not fatal", "[memory][export]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Store store(where.db());
  store.memento()->put("raw", "k", "ab\xff");
  const auto dump = nlohmann::json::parse(store.export_json());
  CHECK(dump.at("memento").at("raw").at("k") == "ab\xEF\xBF\xBD");
}

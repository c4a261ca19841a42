// Store::export_json: everything in the file, as JSON a person can read.
#include <nlohmann/json.hpp>

#include "connection.hpp"
#include "mapping_rows.hpp"
#include "requip/memory/store.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;
// Ordered, so that the dump reads top-down in the order the parts are written.
using json = nlohmann::ordered_json;

namespace {

std::string iso_time(Clock::time_point time) {
  const std::time_t seconds = Clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      chunk = chunk << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? alphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
    }
  }
  return out;
}

json memento_json(Connection& db) {
  json spaces = json::object();
  Query query(db, "SELECT space, key, value FROM memento ORDER BY space, key");
  while (query->step()) {
    spaces[query->text(0)][query->text(1)] = query->bytes(2);
  }
  return spaces;
}

json feedback_json(Connection& db) {
  json entries = json::array();
  Query query(db,
              "SELECT id, session, turn, key, text, skill, verdict, time_ms FROM feedback "
              "ORDER BY id");
  while (query->step()) {
    entries.push_back({{"id", query->integer(0)},
                       {"session", query->text(1)},
                       {"turn", query->integer(2)},
                       {"key", query->text(3)},
                       {"text", query->text(4)},
                       {"skill", query->text(5)},
                       {"verdict", query->text(6)},
                       {"time", iso_time(detail::from_millis(query->integer(7)))}});
  }
  return entries;
}

json blobs_json(Connection& db, bool include_bytes) {
  json blobs = json::array();
  Query query(db, "SELECT name, version, length(bytes), time_ms FROM blobs ORDER BY name, version");
  while (query->step()) {
    json blob = {{"name", query->text(0)},
                 {"version", query->integer(1)},
                 {"size_bytes", query->integer(2)},
                 {"time", iso_time(detail::from_millis(query->integer(3)))}};
    if (include_bytes) {
      Query bytes(db, "SELECT bytes FROM blobs WHERE name = ?1 AND version = ?2");
      bytes->bind_text(1, blob["name"].get<std::string>());
      bytes->bind(2, blob["version"].get<std::int64_t>());
      bytes->step();
      blob["bytes_base64"] = base64(bytes->bytes(0));
    }
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

json mappings_json(Connection& db) {
  json mappings = json::array();
  for (const Mapping& mapping : detail::list_mappings(db)) {
    mappings.push_back({{"key", mapping.key},
                        {"skill", mapping.skill},
                        {"skill_version", mapping.skill_version},
                        {"confirmations", mapping.confirmations},
                        {"rejections", mapping.rejections},
                        {"rejected", mapping.rejected},
                        {"first_seen", iso_time(mapping.first_seen)},
                        {"last_used", iso_time(mapping.last_used)}});
  }
  return mappings;
}

}  // namespace

std::string Store::export_json(bool include_blob_bytes) const {
  const json dump = connection_->run([&](Connection& db) {
    // One read transaction, so every part of the dump shows the same moment.
    detail::Transaction snapshot(db, Connection::TransactionKind::read);
    json result{{"file", file().string()},       {"schema_version", schema_version},
                {"memento", memento_json(db)},   {"mappings", mappings_json(db)},
                {"feedback", feedback_json(db)}, {"blobs", blobs_json(db, include_blob_bytes)}};
    snapshot.commit();
    return result;
  });
  // Stored text is not guaranteed to be UTF-8; replace what is not rather than fail the dump.
  return dump.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace requip::memory

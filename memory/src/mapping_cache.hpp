#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "requip/memory/mappings.hpp"

namespace requip::memory::detail {

class Connection;

// Recent lookups of Mappings::find, misses included, so the router's per-input lookup does not
// pay for an SQLite read transaction each time (two fcntl() lock calls on the WAL index, most
// of a read's cost). Used only under the connection's lock.
// Coherence: writes through this connection drop their key. Writes by other connections (other
// processes) change Connection::data_version (SQLite's PRAGMA data_version; PostgreSQL's
// notices); it is checked when the cache was last validated more than max_staleness ago, and
// any change empties the cache. So another process's commit is seen within max_staleness (and
// the notice's delivery); this process's own commits are seen at once.
class MappingCache {
 public:
  static constexpr auto max_staleness = std::chrono::milliseconds(1);
  static constexpr std::size_t max_entries = 65'536;

  // The cached answer for `key`: a mapping, or a known absence (an empty optional inside).
  const std::optional<Mapping>* find(Connection& db, std::string_view key);
  void remember(const std::string& key, std::optional<Mapping> mapping);
  void drop(const std::string& key) { entries_.erase(key); }

 private:
  void validate(Connection& db);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::optional<Mapping>, Hash, std::equal_to<>> entries_;
  std::int64_t data_version_ = -1;
  std::chrono::steady_clock::time_point validated_at_{};
};

}  // namespace requip::memory::detail

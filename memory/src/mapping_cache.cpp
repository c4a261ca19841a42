#include "mapping_cache.hpp"

#include "connection.hpp"

namespace requip::memory::detail {

const std::optional<Mapping>* MappingCache::find(Connection& db, std::string_view key) {
  validate(db);
  auto found = entries_.find(key);
  return found == entries_.end() ? nullptr : &found->second;
}

void MappingCache::remember(const std::string& key, std::optional<Mapping> mapping) {
  if (entries_.size() >= max_entries) entries_.clear();
  entries_.insert_or_assign(key, std::move(mapping));
}

void MappingCache::validate(Connection& db) {
  const auto now = std::chrono::steady_clock::now();
  if (now - validated_at_ <= max_staleness) return;
  const std::int64_t version = db.data_version();
  if (version != data_version_) entries_.clear();
  data_version_ = version;
  validated_at_ = now;
}

}  // namespace requip::memory::detail

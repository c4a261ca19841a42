#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requip/memory/mappings.hpp"

namespace requip::memory {

// One stored version of a named binary value. `bytes` holds raw bytes, not text.
struct Blob {
  std::string name;
  std::int64_t version = 0;
  std::string bytes;
  Clock::time_point time;
};

// What is stored under one name, without the bytes.
struct BlobInfo {
  std::string name;
  std::int64_t latest_version = 0;
  std::int64_t versions = 0;     // how many versions are kept
  std::int64_t latest_size = 0;  // bytes
  std::int64_t total_size = 0;   // bytes, all kept versions
  Clock::time_point latest_time;
};

// Named, versioned binary values: router weights, model checkpoints. Each put() keeps the old
// versions until prune() drops them.
class Blobs {
 public:
  explicit Blobs(std::shared_ptr<detail::Connection> connection);

  // Stores `bytes` as the next version of `name` and returns that version (1 for the first).
  std::int64_t put(std::string_view name, std::string_view bytes);
  std::optional<Blob> latest(std::string_view name) const;
  std::optional<Blob> get(std::string_view name, std::int64_t version) const;
  // Every name, sorted.
  std::vector<BlobInfo> list() const;
  // Keeps the newest `keep` versions of `name` (at least one) and returns how many were dropped.
  std::int64_t prune(std::string_view name, std::int64_t keep);

 private:
  std::shared_ptr<detail::Connection> connection_;
};

}  // namespace requip::memory

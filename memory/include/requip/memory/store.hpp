#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "requip/memory/blobs.hpp"
#include "requip/memory/feedback_log.hpp"
#include "requip/memory/mappings.hpp"
#include "requip/memory/store_error.hpp"
#include "requip/memory/stored_memento.hpp"

namespace requip::memory {

// How hard a commit to an SQLite file works to reach the disk. Both survive a crash of the
// process. On PostgreSQL the server decides (its synchronous_commit).
enum class Durability {
  // WAL with synchronous=NORMAL: a commit is in the OS once it returns; a power loss may drop
  // the last commits but never corrupts the file.
  normal,
  // WAL with synchronous=FULL: every commit is fsynced, so it also survives a power loss.
  full,
};

struct StoreOptions {
  Durability durability = Durability::normal;
  // Refuse rather than create when there is no database at the path yet.
  bool create_if_missing = true;
  // How long to wait for another process that holds the write lock.
  std::chrono::milliseconds busy_timeout{5000};
};

struct StoreStats {
  std::filesystem::path file;
  int schema_version = 0;
  std::string journal_mode;
  // SQLite: "normal" or "full", the durability in force; PostgreSQL: synchronous_commit.
  std::string synchronous;
  std::int64_t file_bytes = 0;  // the database file, without its WAL
  std::int64_t memento_spaces = 0;
  std::int64_t memento_values = 0;
  std::int64_t mappings = 0;
  std::int64_t feedback_entries = 0;
  std::int64_t blob_names = 0;
  std::int64_t blob_versions = 0;
  std::int64_t blob_bytes = 0;
  std::string quick_check;  // "ok" for a healthy file
};

// One requip database file: the memento, the mappings, the feedback log and the blobs, all in
// one SQLite file in WAL mode. Opening migrates an older schema forward; a file that cannot
// be used (corrupt, newer, read-only, foreign) is refused with a StoreError and left as it is.
// A Store and its parts may be used from any number of threads.
class Store {
 public:
  static constexpr int schema_version = 4;
  // The path of a store that lives in this process's memory only, gone when it is destroyed:
  // for a bot that keeps nothing between runs, and for simulations.
  static constexpr const char* in_memory = ":memory:";

  explicit Store(const std::filesystem::path& file, StoreOptions options = {});
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  const std::filesystem::path& file() const;

  // Shared so that brains can hold it beyond the Store's own lifetime.
  std::shared_ptr<StoredMemento> memento() const { return memento_; }
  Mappings& mappings() { return mappings_; }
  FeedbackLog& feedback() { return feedback_; }
  Blobs& blobs() { return blobs_; }

  StoreStats stats() const;
  // PRAGMA integrity_check: "ok", or the first problems found.
  std::string integrity_check() const;

  // Copies the live database file to `destination` with SQLite's online backup API, while other
  // threads keep using the store. `destination` must not exist. `progress` sees pages copied
  // and the total.
  void backup(const std::filesystem::path& destination,
              const std::function<void(int copied, int total)>& progress = {}) const;

  // Everything stored, as indented JSON a person can read. Blob contents are included as
  // base64 only when asked, since they are usually large and not text.
  std::string export_json(bool include_blob_bytes = false) const;

 private:
  std::shared_ptr<detail::Connection> connection_;
  std::shared_ptr<StoredMemento> memento_;
  Mappings mappings_;
  FeedbackLog feedback_;
  Blobs blobs_;
};

}  // namespace requip::memory

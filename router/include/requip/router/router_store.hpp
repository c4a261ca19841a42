#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip::router {

// What the router remembers about one request key: the skill confirmed for it and how sure
// that is.
struct Mapping {
  std::string key;
  std::string skill;
  std::string skill_version;
  int confirmations = 0;
  int rejections = 0;
  std::vector<std::string> rejected;  // skills rejected for this key, in order
  std::int64_t first_seen = 0;        // unix seconds
  std::int64_t last_used = 0;
};

// One line of the append-only feedback log.
struct FeedbackEntry {
  std::int64_t time = 0;  // unix seconds
  std::string session;
  std::string key;
  std::string text;
  std::string skill;  // the skill the feedback was about
  std::string word;   // what the user said
  bool positive = false;
};

// Where the router's learning lives between runs. requip::memory provides the SQLite one;
// InMemoryRouterStore keeps it for the life of the process.
class RouterStore {
 public:
  virtual ~RouterStore() = default;

  virtual std::optional<Mapping> mapping(std::string_view key) const = 0;
  virtual void put_mapping(const Mapping& mapping) = 0;
  virtual bool erase_mapping(std::string_view key) = 0;

  virtual void append_feedback(const FeedbackEntry& entry) = 0;
  // The log's entries for one key, oldest first.
  virtual std::vector<FeedbackEntry> feedback_for(std::string_view key) const = 0;
  // Every entry, oldest first: what retraining learns from besides the skills' examples.
  virtual std::vector<FeedbackEntry> all_feedback() const = 0;

  virtual std::optional<std::string> blob(std::string_view name) const = 0;
  virtual void put_blob(std::string_view name, std::string_view bytes) = 0;
};

std::shared_ptr<RouterStore> make_in_memory_router_store();

}  // namespace requip::router

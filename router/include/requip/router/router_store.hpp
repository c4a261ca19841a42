#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requip/router/message.hpp"

namespace requip::router {

// What the router remembers about one request key: the skill confirmed for it and how sure
// that is.
struct Mapping {
  std::string key;
  std::string skill;  // empty while no skill is trusted (the mapped one was rejected)
  std::string skill_version;
  std::int64_t confirmations = 0;     // of the current skill
  std::int64_t rejections = 0;        // of any skill for this key
  std::vector<std::string> rejected;  // skills rejected for this key, sorted
};

// One line of the append-only feedback log.
struct FeedbackEntry {
  std::string session;
  std::string key;    // the normalized input that was answered: also the example to learn
  std::string word;   // what the user said about it
  std::string skill;  // the skill that answered
  Polarity polarity = Polarity::confirm;

  bool positive() const { return polarity == Polarity::confirm; }
};

// Where the router's learning lives between runs. requip::memory provides the SQLite one;
// InMemoryRouterStore keeps it for the life of the process.
class RouterStore {
 public:
  virtual ~RouterStore() = default;

  virtual std::optional<Mapping> mapping(std::string_view key) const = 0;
  // The skill becomes the key's mapping (its confirmations restart if it is a new skill),
  // gains a confirmation and leaves the rejected set.
  virtual void confirm(std::string_view key, std::string_view skill,
                       std::string_view skill_version) = 0;
  // The skill joins the key's rejected set; if it was the mapped skill, the key keeps no skill.
  virtual void reject(std::string_view key, std::string_view skill) = 0;
  virtual bool forget(std::string_view key) = 0;

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

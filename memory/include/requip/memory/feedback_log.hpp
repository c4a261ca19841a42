#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "requip/memory/mappings.hpp"

namespace requip::memory {

// How a user judged an answer. Stored as its name, so the log reads plainly.
enum class Verdict { confirm, minor_complaint, major_complaint };

std::string_view to_string(Verdict verdict);
// Throws std::invalid_argument for a name that is not a verdict.
Verdict verdict_from_string(std::string_view name);

struct FeedbackEntry {
  std::int64_t id = 0;  // assigned by append(); increases with every entry
  std::string session;
  std::int64_t turn = 0;
  std::string key;    // the input that was answered
  std::string text;   // what the user said about the answer
  std::string skill;  // the skill that answered
  Verdict verdict = Verdict::confirm;
  Clock::time_point time;  // set by append()
};

// Every judgement users gave, append-only: nothing here is ever changed or deleted.
class FeedbackLog {
 public:
  explicit FeedbackLog(std::shared_ptr<detail::Connection> connection);

  // Stores the entry stamped with the current time and returns its id.
  std::int64_t append(const FeedbackEntry& entry);
  // The newest `limit` entries about `key`, oldest first.
  std::vector<FeedbackEntry> for_key(std::string_view key, std::size_t limit = 100) const;
  // The newest `limit` entries, oldest first.
  std::vector<FeedbackEntry> latest(std::size_t limit) const;
  // The first `limit` entries after `id`, oldest first: what a reader that has seen every
  // entry up to `id` has not seen yet. Entries commit in the order of their ids, so none can
  // appear later below an id already read.
  std::vector<FeedbackEntry> after(std::int64_t id, std::size_t limit) const;
  // A number that moves when another process may have written to the database: a PostgreSQL
  // notice (no round trip to the server), SQLite's data_version. Readers that keep up with
  // the log call after() when it moves.
  std::int64_t outside_writes() const;
  std::int64_t count() const;

 private:
  std::shared_ptr<detail::Connection> connection_;
};

}  // namespace requip::memory

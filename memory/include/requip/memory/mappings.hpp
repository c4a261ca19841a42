#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip::memory {

namespace detail {
class Connection;
}

using Clock = std::chrono::system_clock;

// What the router learned for one key (an input without its trigger word): the skill to equip
// and how users judged it.
struct Mapping {
  std::string key;
  std::string skill;  // empty while nothing is equipped (the last mapped skill was rejected)
  std::string skill_version;
  std::int64_t confirmations = 0;     // of the current skill; reset when the skill changes
  std::int64_t rejections = 0;        // of any skill for this key, over the key's lifetime
  std::vector<std::string> rejected;  // skills rejected for this key, sorted; never `skill`
  Clock::time_point first_seen;
  Clock::time_point last_used;
};

// The key -> skill table the router reads on its fast path and writes on feedback. Every call
// is one transaction, safe from any thread.
class Mappings {
 public:
  explicit Mappings(std::shared_ptr<detail::Connection> connection);

  std::optional<Mapping> find(std::string_view key) const;
  // All mappings, sorted by key.
  std::vector<Mapping> list() const;
  std::int64_t count() const;

  // Equips `skill` for `key`, creating the mapping if needed, and marks it used now. Equipping
  // the skill already mapped just refreshes its version and last-used time.
  void upsert(std::string_view key, std::string_view skill, std::string_view skill_version);
  // The user confirmed `skill` for `key`: it becomes the mapping, gains a confirmation and
  // leaves the rejected set.
  void confirm(std::string_view key, std::string_view skill, std::string_view skill_version);
  // The user rejected `skill` for `key`: it joins the rejected set and the rejection count
  // grows. If it was the mapped skill, the mapping is left with no skill until the next upsert.
  void reject(std::string_view key, std::string_view skill);
  // Removes the mapping and its rejected set. Returns whether there was one.
  bool forget(std::string_view key);

 private:
  std::shared_ptr<detail::Connection> connection_;
};

}  // namespace requip::memory

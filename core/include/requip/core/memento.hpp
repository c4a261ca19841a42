#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip {

// Persistent key-value memory, namespaced by space (a skill, per user or shared).
// Implementations must be safe to call from several threads: conversations share one memento.
class Memento {
 public:
  virtual ~Memento() = default;

  virtual std::optional<std::string> get(std::string_view space, std::string_view key) const = 0;
  virtual void put(std::string_view space, std::string_view key, std::string_view value) = 0;
  // Returns whether the key existed.
  virtual bool erase(std::string_view space, std::string_view key) = 0;
  // Keys of one namespace, sorted.
  virtual std::vector<std::string> keys(std::string_view space) const = 0;
};

// A skill's own memory is kept per user: user_space("alice", "notes") is "users/alice/notes".
// An empty user leaves the space as it is (a plugin's host adds the user). Memory that every
// user shares is asked for by name: shared_space("notes") is "shared:notes".
std::string user_space(std::string_view user, std::string_view space);
std::string shared_space(std::string_view space);
bool is_shared_space(std::string_view space);

// One skill's namespace of a memento: what a skill sees as its own memory.
class MementoView {
 public:
  MementoView(Memento& memento, std::string space) : memento_(&memento), space_(std::move(space)) {}

  std::optional<std::string> get(std::string_view key) const { return memento_->get(space_, key); }
  void put(std::string_view key, std::string_view value) { memento_->put(space_, key, value); }
  bool erase(std::string_view key) { return memento_->erase(space_, key); }
  std::vector<std::string> keys() const { return memento_->keys(space_); }

 private:
  Memento* memento_;
  std::string space_;
};

}  // namespace requip

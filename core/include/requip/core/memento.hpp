#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace requip {

// Persistent key-value memory shared by the skills of a brain, namespaced per skill.
// Implementations must be safe to call from several threads: sessions share one memento.
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

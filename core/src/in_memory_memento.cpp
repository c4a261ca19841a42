#include "requip/core/in_memory_memento.hpp"

namespace requip {

namespace {
std::pair<std::string, std::string> make_key(std::string_view space, std::string_view key) {
  return {std::string(space), std::string(key)};
}
}  // namespace

std::optional<std::string> InMemoryMemento::get(std::string_view space,
                                                std::string_view key) const {
  std::lock_guard lock(mutex_);
  auto found = values_.find(make_key(space, key));
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

void InMemoryMemento::put(std::string_view space, std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  values_[make_key(space, key)] = std::string(value);
}

bool InMemoryMemento::erase(std::string_view space, std::string_view key) {
  std::lock_guard lock(mutex_);
  return values_.erase(make_key(space, key)) > 0;
}

std::vector<std::string> InMemoryMemento::keys(std::string_view space) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> result;
  for (auto it = values_.lower_bound(make_key(space, "")); it != values_.end(); ++it) {
    if (it->first.first != space) break;
    result.push_back(it->first.second);
  }
  return result;
}

}  // namespace requip

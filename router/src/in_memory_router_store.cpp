#include <algorithm>
#include <map>
#include <mutex>

#include "requip/router/router_store.hpp"

namespace requip::router {

namespace {

class InMemoryRouterStore final : public RouterStore {
 public:
  std::optional<Mapping> mapping(std::string_view key) const override {
    std::lock_guard lock(mutex_);
    auto found = mappings_.find(key);
    if (found == mappings_.end()) return std::nullopt;
    return found->second;
  }
  void confirm(std::string_view key, std::string_view skill,
               std::string_view skill_version) override {
    std::lock_guard lock(mutex_);
    Mapping& mapping = entry(key);
    if (mapping.skill != skill) mapping.confirmations = 0;
    mapping.skill = skill;
    mapping.skill_version = skill_version;
    ++mapping.confirmations;
    std::erase(mapping.rejected, std::string(skill));
  }
  void reject(std::string_view key, std::string_view skill) override {
    std::lock_guard lock(mutex_);
    Mapping& mapping = entry(key);
    ++mapping.rejections;
    if (mapping.skill == skill) {
      mapping.skill.clear();
      mapping.confirmations = 0;
    }
    auto& rejected = mapping.rejected;
    if (std::find(rejected.begin(), rejected.end(), skill) == rejected.end()) {
      rejected.emplace_back(skill);
      std::sort(rejected.begin(), rejected.end());
    }
  }
  bool forget(std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto found = mappings_.find(key);
    if (found == mappings_.end()) return false;
    mappings_.erase(found);
    return true;
  }
  void append_feedback(const FeedbackEntry& entry) override {
    std::lock_guard lock(mutex_);
    log_.push_back(entry);
  }
  std::vector<FeedbackEntry> feedback_for(std::string_view key) const override {
    std::lock_guard lock(mutex_);
    std::vector<FeedbackEntry> result;
    for (const auto& entry : log_) {
      if (entry.key == key) result.push_back(entry);
    }
    return result;
  }
  std::vector<FeedbackEntry> all_feedback() const override {
    std::lock_guard lock(mutex_);
    return log_;
  }
  std::optional<std::string> blob(std::string_view name) const override {
    std::lock_guard lock(mutex_);
    auto found = blobs_.find(name);
    if (found == blobs_.end()) return std::nullopt;
    return found->second;
  }
  void put_blob(std::string_view name, std::string_view bytes) override {
    std::lock_guard lock(mutex_);
    blobs_[std::string(name)] = std::string(bytes);
  }

 private:
  Mapping& entry(std::string_view key) {
    auto found = mappings_.find(key);
    if (found == mappings_.end()) {
      Mapping fresh;
      fresh.key = key;
      found = mappings_.emplace(std::string(key), std::move(fresh)).first;
    }
    return found->second;
  }

  mutable std::mutex mutex_;
  std::map<std::string, Mapping, std::less<>> mappings_;
  std::vector<FeedbackEntry> log_;
  std::map<std::string, std::string, std::less<>> blobs_;
};

}  // namespace

std::shared_ptr<RouterStore> make_in_memory_router_store() {
  return std::make_shared<InMemoryRouterStore>();
}

}  // namespace requip::router

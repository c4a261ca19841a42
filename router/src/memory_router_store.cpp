#include "requip/router/memory_router_store.hpp"

#include <limits>

#include "requip/memory/store.hpp"

namespace requip::router {

namespace {

// The whole log is what a retrain learns from; this bounds it for a pathological database.
constexpr std::size_t retrain_log_limit = 1'000'000;

memory::Verdict to_verdict(Polarity polarity) {
  switch (polarity) {
    case Polarity::confirm:
      return memory::Verdict::confirm;
    case Polarity::minor:
      return memory::Verdict::minor_complaint;
    case Polarity::major:
      return memory::Verdict::major_complaint;
  }
  return memory::Verdict::major_complaint;
}

Polarity to_polarity(memory::Verdict verdict) {
  switch (verdict) {
    case memory::Verdict::confirm:
      return Polarity::confirm;
    case memory::Verdict::minor_complaint:
      return Polarity::minor;
    case memory::Verdict::major_complaint:
      return Polarity::major;
  }
  return Polarity::major;
}

std::vector<FeedbackEntry> entries(const std::vector<memory::FeedbackEntry>& stored) {
  std::vector<FeedbackEntry> result;
  for (const auto& entry : stored) {
    result.push_back(
        {entry.session, entry.key, entry.text, entry.skill, to_polarity(entry.verdict)});
  }
  return result;
}

class MemoryRouterStore final : public RouterStore {
 public:
  explicit MemoryRouterStore(std::shared_ptr<memory::Store> store) : store_(std::move(store)) {}

  std::optional<Mapping> mapping(std::string_view key) const override {
    auto found = store_->mappings().find(key);
    if (!found) return std::nullopt;
    return Mapping{found->key,           found->skill,      found->skill_version,
                   found->confirmations, found->rejections, found->rejected};
  }
  void confirm(std::string_view key, std::string_view skill,
               std::string_view skill_version) override {
    store_->mappings().confirm(key, skill, skill_version);
  }
  void reject(std::string_view key, std::string_view skill) override {
    store_->mappings().reject(key, skill);
  }
  bool forget(std::string_view key) override { return store_->mappings().forget(key); }

  void append_feedback(const FeedbackEntry& entry) override {
    memory::FeedbackEntry stored;
    stored.session = entry.session;
    stored.key = entry.key;
    stored.text = entry.word;
    stored.skill = entry.skill;
    stored.verdict = to_verdict(entry.polarity);
    store_->feedback().append(stored);
  }
  std::vector<FeedbackEntry> feedback_for(std::string_view key) const override {
    return entries(store_->feedback().for_key(key));
  }
  std::vector<FeedbackEntry> all_feedback() const override {
    return entries(store_->feedback().latest(retrain_log_limit));
  }

  std::optional<std::string> blob(std::string_view name) const override {
    auto found = store_->blobs().latest(name);
    if (!found) return std::nullopt;
    return std::move(found->bytes);
  }
  void put_blob(std::string_view name, std::string_view bytes) override {
    store_->blobs().put(name, bytes);
    store_->blobs().prune(name, 1);  // the router needs only its latest weights
  }

 private:
  std::shared_ptr<memory::Store> store_;
};

}  // namespace

std::shared_ptr<RouterStore> make_memory_router_store(std::shared_ptr<memory::Store> store) {
  return std::make_shared<MemoryRouterStore>(std::move(store));
}

}  // namespace requip::router

#include "requip/router/router_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "requip/core/detail/library_log.hpp"
#include "requip/router/featurizer.hpp"

namespace requip::router {

namespace {

constexpr std::string_view gate_blob = "router.gate";
constexpr std::string_view skills_blob = "router.skills";
// The whole log is what a retrain learns from; this bounds it for a pathological database.
constexpr std::size_t retrain_log_limit = 1'000'000;

std::optional<std::string> latest_blob(memory::Store& store, std::string_view name) {
  auto found = store.blobs().latest(name);
  if (!found) return std::nullopt;
  return std::move(found->bytes);
}

void put_blob(memory::Store& store, std::string_view name, std::string_view bytes) {
  store.blobs().put(name, bytes);
  store.blobs().prune(name, 1);  // the router needs only its latest weights
}

bool confirms(const memory::FeedbackEntry& entry) {
  return entry.verdict == memory::Verdict::confirm;
}

}  // namespace

RouterModel::RouterModel(RouterConfig config, std::shared_ptr<memory::Store> store)
    : config_(std::move(config)),
      store_(store ? std::move(store) : std::make_shared<memory::Store>(memory::Store::in_memory)),
      gate_(config_.gate) {
  load();
}

void RouterModel::load() {
  auto skills = latest_blob(*store_, skills_blob);
  auto weights = latest_blob(*store_, gate_blob);
  if (!skills || !weights) return;
  try {
    for (const auto& entry : nlohmann::json::parse(*skills)) {
      profiles_.push_back({entry.at("name"), entry.at("version"), entry.at("description"),
                           entry.at("examples").get<std::vector<std::string>>()});
    }
    gate_.load(*weights);
    trained_ = true;
  } catch (const std::exception& error) {
    // A gate that cannot be read is retrained from the skills and the feedback log.
    requip::detail::library_log().warn("router: {}; retraining", error.what());
    profiles_.clear();
    gate_ = GateModel(config_.gate);
  }
}

std::optional<RetrainReport> RouterModel::know(const std::vector<SkillProfile>& skills,
                                               const Progress& progress) {
  std::unique_lock lock(mutex_);
  bool changed = !trained_;
  for (const auto& skill : skills) {
    const int row = row_of(skill.name);
    if (row < 0) {
      profiles_.push_back(skill);
      changed = true;
    } else if (profiles_[static_cast<std::size_t>(row)].examples != skill.examples) {
      profiles_[static_cast<std::size_t>(row)] = skill;
      changed = true;
    } else {
      profiles_[static_cast<std::size_t>(row)].version = skill.version;
    }
  }
  gate_.grow(static_cast<int>(profiles_.size()));
  if (!changed) return std::nullopt;
  auto report = retrain(progress);
  write(snapshot_locked());
  return report;
}

std::optional<RetrainReport> RouterModel::retrain(const Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<TrainingExample> examples;
  for (std::size_t row = 0; row < profiles_.size(); ++row) {
    for (const auto& text : profiles_[row].examples)
      examples.push_back({text, static_cast<int>(row)});
  }
  // What users confirmed is kept across retrains, like the declared examples.
  for (const auto& entry : store_->feedback().latest(retrain_log_limit)) {
    const int row = row_of(entry.skill);
    if (confirms(entry) && row >= 0) examples.push_back({entry.key, row});
  }
  gate_.train(examples, GateModel::Mask(profiles_.size(), true), progress);
  trained_ = true;
  RetrainReport report{
      profiles_.size(), examples.size(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  requip::detail::library_log().info("router: retrained on {} skills, {} examples in {:.2f} s",
                                     report.skills, report.examples, report.seconds);
  return report;
}

int RouterModel::row_of(std::string_view skill) const {
  for (std::size_t row = 0; row < profiles_.size(); ++row) {
    if (profiles_[row].name == skill) return static_cast<int>(row);
  }
  return -1;
}

GateModel::Mask RouterModel::mask_for(const std::vector<std::string>& loaded) const {
  std::shared_lock lock(mutex_);
  GateModel::Mask mask(profiles_.size(), false);
  for (const auto& name : loaded) {
    if (const int row = row_of(name); row >= 0) mask[static_cast<std::size_t>(row)] = true;
  }
  return mask;
}

Ranking RouterModel::rank(std::string_view text, const GateModel::Mask& allowed,
                          const std::set<std::string>& excluded) const {
  std::shared_lock lock(mutex_);
  thread_local std::vector<float> probabilities;
  thread_local std::vector<std::size_t> rows;
  const float support = gate_.probabilities(text, allowed, probabilities);
  rows.clear();
  for (std::size_t row = 0; row < profiles_.size() && row < allowed.size(); ++row) {
    if (allowed[row] && !excluded.count(profiles_[row].name)) rows.push_back(row);
  }
  // Rows are sorted rather than candidates, so that no name is moved and each is copied once.
  std::sort(rows.begin(), rows.end(),
            [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  Ranking ranking;
  ranking.candidates.reserve(rows.size());
  for (const auto row : rows)
    ranking.candidates.push_back({profiles_[row].name, probabilities[row]});
  if (!ranking.candidates.empty())
    ranking.confidence = gate_.confidence(ranking.candidates.front().probability, support,
                                          config_.out_of_scope_below);
  return ranking;
}

std::optional<memory::Mapping> RouterModel::mapping(std::string_view key) const {
  return store_->mappings().find(key);
}

void RouterModel::feedback(const memory::FeedbackEntry& entry, std::string_view text) {
  Snapshot snapshot;
  {
    std::unique_lock lock(mutex_);
    learn(entry, text);
    if (!config_.save_after_feedback) return;
    snapshot = snapshot_locked();
  }
  // Written outside the lock: other conversations route meanwhile.
  write(snapshot);
}

void RouterModel::learn(const memory::FeedbackEntry& entry, std::string_view text) {
  const int row = row_of(entry.skill);
  if (confirms(entry)) {
    store_->mappings().confirm(entry.key, entry.skill,
                               row >= 0 ? profiles_[static_cast<std::size_t>(row)].version : "");
  } else {
    store_->mappings().reject(entry.key, entry.skill);
  }
  if (row >= 0) {
    gate_.learn(text.empty() ? std::string_view(entry.key) : text, row, confirms(entry),
                GateModel::Mask(profiles_.size(), true));
  }
  store_->feedback().append(entry);
}

bool RouterModel::forget(std::string_view key) {
  std::unique_lock lock(mutex_);
  return store_->mappings().forget(key);
}

std::vector<memory::FeedbackEntry> RouterModel::feedback_for(std::string_view key) const {
  return store_->feedback().for_key(key);
}

std::optional<SkillProfile> RouterModel::profile(std::string_view skill) const {
  std::shared_lock lock(mutex_);
  const int row = row_of(skill);
  if (row < 0) return std::nullopt;
  return profiles_[static_cast<std::size_t>(row)];
}

void RouterModel::save() const {
  Snapshot snapshot;
  {
    std::shared_lock lock(mutex_);
    snapshot = snapshot_locked();
  }
  write(snapshot);
}

RouterModel::Snapshot RouterModel::snapshot_locked() const {
  nlohmann::json skills = nlohmann::json::array();
  for (const auto& profile : profiles_) {
    skills.push_back({{"name", profile.name},
                      {"version", profile.version},
                      {"description", profile.description},
                      {"examples", profile.examples}});
  }
  return {++snapshots_taken_, skills.dump(), gate_.save()};
}

void RouterModel::write(const Snapshot& snapshot) const {
  std::lock_guard lock(write_mutex_);
  if (snapshot.sequence <= snapshot_written_) return;  // a newer one is stored already
  put_blob(*store_, skills_blob, snapshot.skills);
  put_blob(*store_, gate_blob, snapshot.gate);
  snapshot_written_ = snapshot.sequence;
}

}  // namespace requip::router

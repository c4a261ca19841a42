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

// One blob, so that replicas writing in turn never pair one's skill table with another's
// weights: a JSON header (the skill table and the last feedback entry applied), a NUL byte,
// which JSON text never holds, then the gate's own bytes.
constexpr std::string_view state_blob = "router.state";
// The whole log is what a retrain learns from; this bounds it for a pathological database.
constexpr std::size_t retrain_log_limit = 1'000'000;
// Entries read from the log at a time when catching up.
constexpr std::size_t replay_batch = 1024;

bool confirms(const memory::FeedbackEntry& entry) {
  return entry.verdict == memory::Verdict::confirm;
}

// Whether a gate trained on `a` serves `b`: the same skills in the same rows, learned from the
// same examples (a new version with the same examples needs no retraining).
bool same_skills(const std::vector<SkillProfile>& a, const std::vector<SkillProfile>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.examples == y.examples;
  });
}

}  // namespace

RouterModel::RouterModel(RouterConfig config, std::shared_ptr<memory::Store> store)
    : config_(std::move(config)),
      store_(store ? std::move(store) : std::make_shared<memory::Store>(memory::Store::in_memory)),
      gate_(config_.gate) {
  load(nullptr);
}

bool RouterModel::load(const std::vector<SkillProfile>* expected) {
  auto stored = store_->blobs().latest(state_blob);
  if (!stored) return false;
  try {
    const std::string_view bytes = stored->bytes;
    const auto end = bytes.find('\0');
    if (end == std::string_view::npos) throw std::runtime_error("its skill table has no end");
    const auto header = nlohmann::json::parse(bytes.substr(0, end));
    std::vector<SkillProfile> profiles;
    for (const auto& entry : header.at("skills")) {
      profiles.push_back({entry.at("name"), entry.at("version"), entry.at("description"),
                          entry.at("examples").get<std::vector<std::string>>()});
    }
    if (expected) {
      if (!same_skills(profiles, *expected)) return false;
      profiles = *expected;  // this process's versions and descriptions, the same rows
    }
    GateModel gate(config_.gate);
    gate.load(bytes.substr(end + 1));
    feedback_applied_ = header.at("feedback_applied").get<std::int64_t>();
    gate_ = std::move(gate);
    profiles_ = std::move(profiles);
    trained_ = true;
  } catch (const std::exception& error) {
    // A gate that cannot be read is retrained from the skills and the feedback log.
    requip::detail::library_log().warn("router: stored gate: {}; retraining", error.what());
    return false;
  }
  replay_log();
  return true;
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
  // Another process on the store may have trained on these very skills since this model
  // started: its weights are taken, so that both go on from the same ones.
  const auto wanted = profiles_;
  if (load(&wanted)) return std::nullopt;
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
  const auto log = store_->feedback().latest(retrain_log_limit);
  for (const auto& entry : log) {
    const int row = row_of(entry.skill);
    if (confirms(entry) && row >= 0) examples.push_back({entry.key, row});
  }
  if (!log.empty()) feedback_applied_ = log.back().id;
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

void RouterModel::feedback(const memory::FeedbackEntry& entry) {
  Snapshot snapshot;
  {
    std::unique_lock lock(mutex_);
    if (confirms(entry)) {
      const int row = row_of(entry.skill);
      store_->mappings().confirm(entry.key, entry.skill,
                                 row >= 0 ? profiles_[static_cast<std::size_t>(row)].version : "");
    } else {
      store_->mappings().reject(entry.key, entry.skill);
    }
    store_->feedback().append(entry);
    replay_log();
    if (!config_.save_after_feedback) return;
    snapshot = snapshot_locked();
  }
  // Written outside the lock: other conversations route meanwhile.
  write(snapshot);
}

void RouterModel::catch_up() {
  const auto writes = store_->feedback().outside_writes();
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const auto interval =
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(poll_interval);
  if (writes == outside_writes_seen_.load() && now - polled_at_.load() < interval.count()) return;
  std::unique_lock lock(mutex_);
  outside_writes_seen_ = writes;
  polled_at_ = now;
  replay_log();
}

std::int64_t RouterModel::feedback_applied() const {
  std::shared_lock lock(mutex_);
  return feedback_applied_;
}

void RouterModel::replay_log() {
  const GateModel::Mask every_skill(profiles_.size(), true);
  for (;;) {
    const auto entries = store_->feedback().after(feedback_applied_, replay_batch);
    for (const auto& entry : entries) {
      if (const int row = row_of(entry.skill); row >= 0)
        gate_.learn(entry.key, row, confirms(entry), every_skill);
      feedback_applied_ = entry.id;
    }
    if (entries.size() < replay_batch) return;
  }
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
  const nlohmann::json header = {{"skills", skills}, {"feedback_applied", feedback_applied_}};
  std::string bytes = header.dump();
  bytes.push_back('\0');
  bytes += gate_.save();
  return {++snapshots_taken_, std::move(bytes)};
}

void RouterModel::write(const Snapshot& snapshot) const {
  std::lock_guard lock(write_mutex_);
  if (snapshot.sequence <= snapshot_written_) return;  // a newer one is stored already
  store_->blobs().put(state_blob, snapshot.bytes);
  store_->blobs().prune(state_blob, 1);  // the router needs only its latest weights
  snapshot_written_ = snapshot.sequence;
}

}  // namespace requip::router

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "requip/memory/store.hpp"
#include "requip/router/gate_model.hpp"
#include "requip/router/message.hpp"

namespace requip::router {

struct RouterConfig {
  GateConfig gate{};
  FeedbackWords words{};
  // Below this confidence the router answers with what it can do instead of guessing.
  double out_of_scope_below = 0.3;
  // When the best two are closer than this, the router asks which one was meant.
  double clarify_margin = 0.1;
  // Route every input, even while a skill is equipped.
  bool auto_mode = false;
  // Write the gate's weights to the store after each feedback; off for long simulations.
  bool save_after_feedback = true;
};

// What the gate learns a skill from.
struct SkillProfile {
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> examples;
};

struct Candidate {
  std::string skill;
  float probability = 0;
};

struct Ranking {
  std::vector<Candidate> candidates;  // allowed skills, best first
  // The top probability times the input's support (the share of its n-grams the gate has
  // seen, and how high its top score is), calibrated on held-out examples: see
  // GateModel::confidence. Text made of nothing the gate knows is out of scope however the
  // probabilities fall.
  float confidence = 0;
};

struct RetrainReport {
  std::size_t skills = 0;
  std::size_t examples = 0;  // declared examples plus confirmed feedback
  double seconds = 0;
};

// The learning every session shares: the gate, the skill -> row table, the mappings and the
// feedback log. The last three live in the store (its own store in memory when none is
// given), so that they survive restarts and other processes on the store see them. Thread-safe:
// routing takes a shared lock, learning an exclusive one. What a single conversation knows (who
// answered last, what was rejected) lives in its RouterSkill.
class RouterModel {
 public:
  using Progress = GateModel::Progress;

  explicit RouterModel(RouterConfig config = {}, std::shared_ptr<memory::Store> store = nullptr);

  // Gives every skill a row (kept for good) and retrains when one is new or its examples
  // changed. Returns what the retrain took, if there was one.
  std::optional<RetrainReport> know(const std::vector<SkillProfile>& skills,
                                    const Progress& progress = {});

  // Gate rows of the named skills: the mask that lets only them be chosen.
  GateModel::Mask mask_for(const std::vector<std::string>& loaded) const;
  Ranking rank(std::string_view text, const GateModel::Mask& allowed,
               const std::set<std::string>& excluded = {}) const;

  // The stored mapping for a key, if any.
  std::optional<memory::Mapping> mapping(std::string_view key) const;
  // Feedback about entry.skill answering `text` (entry.key if empty): stores or strengthens
  // the mapping (confirmation) or counts against it (complaint), updates the gate online and
  // logs the entry.
  void feedback(const memory::FeedbackEntry& entry, std::string_view text = {});
  bool forget(std::string_view key);
  std::vector<memory::FeedbackEntry> feedback_for(std::string_view key) const;

  // Writes the gate's weights and the skill table to the store.
  void save() const;

  const RouterConfig& config() const { return config_; }
  std::optional<SkillProfile> profile(std::string_view skill) const;

 private:
  int row_of(std::string_view skill) const;  // -1 if unknown
  std::optional<RetrainReport> retrain(const Progress& progress);
  // What save() writes, taken under the lock and written outside it, in order.
  struct Snapshot {
    std::uint64_t sequence = 0;
    std::string skills;
    std::string gate;
  };
  void learn(const memory::FeedbackEntry& entry,
             std::string_view text);  // under the exclusive lock
  Snapshot snapshot_locked() const;
  void write(const Snapshot& snapshot) const;
  void load();

  RouterConfig config_;
  std::shared_ptr<memory::Store> store_;
  mutable std::shared_mutex mutex_;
  mutable std::atomic<std::uint64_t> snapshots_taken_{0};  // taken under a shared lock too
  mutable std::mutex write_mutex_;
  mutable std::uint64_t snapshot_written_ = 0;
  GateModel gate_;
  std::vector<SkillProfile> profiles_;  // profiles_[row]
  bool trained_ = false;
};

}  // namespace requip::router

#pragma once

#include <atomic>
#include <chrono>
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
//
// The feedback log is the gate's source of truth. The gate applies every entry in log order,
// whichever process logged it, so replicas on one store that run the same skills hold the same
// weights; the weights are saved with the id of the last entry applied, and a model that
// starts loads them and replays the entries logged since.
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
  // Feedback about entry.skill answering entry.key: stores or strengthens the mapping
  // (confirmation) or counts against it (complaint), logs the entry and has the gate apply
  // it, after any entry another process logged before it.
  void feedback(const memory::FeedbackEntry& entry);
  // Has the gate apply the entries other processes logged since it last looked. Cheap when
  // there are none: it reads the log when the store reports a write from elsewhere, and at
  // most every poll_interval otherwise. Called before each routed turn.
  void catch_up();
  static constexpr std::chrono::milliseconds poll_interval{1000};
  // The id of the last feedback entry the gate applied.
  std::int64_t feedback_applied() const;

  bool forget(std::string_view key);
  std::vector<memory::FeedbackEntry> feedback_for(std::string_view key) const;

  // Writes the gate's weights and the skill table to the store.
  void save() const;

  const RouterConfig& config() const { return config_; }
  std::optional<SkillProfile> profile(std::string_view skill) const;

 private:
  int row_of(std::string_view skill) const;  // -1 if unknown
  std::optional<RetrainReport> retrain(const Progress& progress);
  // The rest, under the exclusive lock: applies the log's entries after feedback_applied_.
  void replay_log();
  // What save() writes, taken under the lock and written outside it, in order.
  struct Snapshot {
    std::uint64_t sequence = 0;
    std::string bytes;
  };
  Snapshot snapshot_locked() const;
  void write(const Snapshot& snapshot) const;
  // Takes the stored gate, if one can be read (given `expected`, only one trained on those
  // skills), and replays the log after it. Under the exclusive lock, or from the constructor.
  bool load(const std::vector<SkillProfile>* expected);

  RouterConfig config_;
  std::shared_ptr<memory::Store> store_;
  mutable std::shared_mutex mutex_;
  mutable std::atomic<std::uint64_t> snapshots_taken_{0};  // taken under a shared lock too
  mutable std::mutex write_mutex_;
  mutable std::uint64_t snapshot_written_ = 0;
  GateModel gate_;
  std::vector<SkillProfile> profiles_;  // profiles_[row]
  bool trained_ = false;
  std::int64_t feedback_applied_ = 0;
  // What catch_up() saw last, read without the lock.
  std::atomic<std::int64_t> outside_writes_seen_{-1};
  std::atomic<std::chrono::steady_clock::rep> polled_at_{0};
};

}  // namespace requip::router

#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "requip/core/dispatcher.hpp"
#include "requip/core/memento.hpp"
#include "requip/core/skill_factory.hpp"

namespace requip {

// What every conversation of an agent is held to.
struct BrainOptions {
  std::size_t queue_capacity = Dispatcher::default_capacity;
  std::size_t max_input_bytes = 64 * 1024;
  // How long a skill's question waits for the next input as its answer, unless it says.
  std::chrono::milliseconds follow_up_timeout{60'000};
};

// The skills an agent offers at one moment. Never changed once published: a conversation
// keeps the one it started a turn with, whatever is loaded meanwhile.
struct SkillCatalog {
  std::vector<std::shared_ptr<const SkillFactory>> skills;

  std::shared_ptr<const SkillFactory> find(std::string_view name) const;
};

// What all conversations of a bot share: the skill factories and the memento. Thread-safe.
// A conversation (a Brain) makes its own instances from the factories; a factory added or
// replaced here reaches each conversation at that conversation's next turn boundary.
class Agent {
 public:
  explicit Agent(std::shared_ptr<Memento> memento = nullptr, BrainOptions options = {});
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Adds a skill, or replaces the same-named one (conversations hand their state over).
  void add(SkillFactory factory);
  // Unknown names are ignored.
  void remove(std::string_view name);
  std::shared_ptr<const SkillCatalog> catalog() const;

  Memento& memento() const { return *memento_; }
  const std::shared_ptr<Memento>& shared_memento() const { return memento_; }
  const BrainOptions& options() const { return options_; }

 private:
  void publish(std::vector<std::shared_ptr<const SkillFactory>> skills);

  mutable std::mutex mutex_;
  std::shared_ptr<const SkillCatalog> catalog_;
  std::shared_ptr<Memento> memento_;
  BrainOptions options_;
};

}  // namespace requip

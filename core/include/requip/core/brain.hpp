#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "requip/core/dispatcher.hpp"
#include "requip/core/kokoro.hpp"
#include "requip/core/reply.hpp"
#include "requip/core/skill.hpp"

namespace requip {

struct BrainOptions {
  std::size_t queue_capacity = Dispatcher::default_capacity;
  std::size_t max_input_bytes = 64 * 1024;
};

// One line of output as the brain's sinks receive it.
struct Output {
  std::string line;
  std::string skill;
};

// Hosts skills and runs think cycles: skills see the input, their algorithms are queued,
// and the dispatcher advances the most urgent one by one step. Later steps come out of
// tick(). A Brain serves one conversation at a time; it is not thread-safe, but several
// brains may share one memento.
class Brain {
 public:
  using Sink = std::function<void(const Output&)>;

  explicit Brain(std::shared_ptr<Memento> memento = nullptr, BrainOptions options = {});
  Brain(const Brain&) = delete;
  Brain& operator=(const Brain&) = delete;
  ~Brain();

  // Attaches a skill. One with the same name is replaced, its saved state handed over to
  // the newcomer. During a think cycle the change waits until the cycle ends.
  void add(std::shared_ptr<Skill> skill);
  // Detaches the named skill, deferred like add(). Unknown names are ignored.
  void remove(std::string_view name);

  // The named skill, or a null skill if there is none.
  std::shared_ptr<Skill> skill(std::string_view name) const;
  bool has(std::string_view name) const;
  std::vector<std::shared_ptr<Skill>> skills() const;

  Reply think(std::string_view text);
  Reply think(const Stimulus& stimulus);
  // A cycle without input: advances pending algorithms, or lets continuous skills act
  // when nothing is pending.
  Reply tick();
  // Whether algorithms are waiting for ticks.
  bool busy() const { return !dispatcher_.idle(); }

  void add_sink(Sink sink) { sinks_.push_back(std::move(sink)); }
  Kokoro& kokoro() { return kokoro_; }
  const BrainOptions& options() const { return options_; }

 private:
  struct Change {
    std::shared_ptr<Skill> added;  // null for a removal
    std::string removed;
  };

  void apply(Change change);
  void end_cycle(Reply& reply);
  void submit(std::optional<Algorithm> algorithm, const std::string& origin, Reply& reply);
  void offer(const Stimulus& stimulus, Reply& reply);

  BrainOptions options_;
  Kokoro kokoro_;
  Dispatcher dispatcher_;
  std::vector<std::shared_ptr<Skill>> skills_;
  std::vector<std::string> names_;  // names_[i] is skills_[i]->name(), cached for the hot path
  std::vector<Change> deferred_;
  std::vector<Sink> sinks_;
  bool in_cycle_ = false;
};

}  // namespace requip

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace requip {

// The outcome of one step: at most one output line, and whether the rest of the algorithm
// should be abandoned.
struct StepResult {
  std::optional<std::string> line;
  bool abort = false;

  static StepResult say(std::string text) { return {std::move(text), false}; }
  static StepResult silent() { return {std::nullopt, false}; }
  static StepResult stop(std::optional<std::string> last_line = std::nullopt) {
    return {std::move(last_line), true};
  }
};

using Step = std::function<StepResult()>;

// An ordered sequence of steps with an urgency. Priority 1 is the most urgent, 5 the least.
class Algorithm {
 public:
  static constexpr int most_urgent = 1;
  static constexpr int least_urgent = 5;
  static constexpr int default_priority = 3;

  // Throws std::invalid_argument if priority is outside [1, 5] or there are no steps.
  Algorithm(std::vector<Step> steps, int priority = default_priority);

  // One step per line, each simply saying it.
  static Algorithm say_lines(std::vector<std::string> lines, int priority = default_priority);
  static Algorithm say(std::string line, int priority = default_priority);

  int priority() const { return priority_; }
  bool finished() const { return next_ >= steps_.size(); }
  std::size_t steps_left() const { return steps_.size() - next_; }

  // Runs the next step. An aborting step finishes the algorithm at once.
  StepResult advance();

  // The skill that emitted it; set by the Brain, reported in replies.
  const std::string& origin() const { return origin_; }
  void set_origin(std::string name) { origin_ = std::move(name); }

 private:
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  int priority_;
  std::string origin_;
};

}  // namespace requip

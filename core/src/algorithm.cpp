#include "requip/core/algorithm.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace requip {

Algorithm::Algorithm(std::vector<Step> steps, int priority)
    : steps_(std::move(steps)), priority_(priority) {
  if (priority < most_urgent || priority > least_urgent) {
    throw std::invalid_argument(fmt::format("algorithm priority {} is outside {}..{}", priority,
                                            most_urgent, least_urgent));
  }
  if (steps_.empty()) throw std::invalid_argument("an algorithm needs at least one step");
}

Algorithm Algorithm::say_lines(std::vector<std::string> lines, int priority) {
  std::vector<Step> steps;
  steps.reserve(lines.size());
  for (auto& line : lines) {
    steps.emplace_back([text = std::move(line)] { return StepResult::say(text); });
  }
  return Algorithm(std::move(steps), priority);
}

Algorithm Algorithm::say(std::string line, int priority) {
  std::vector<Step> steps;
  steps.emplace_back([text = std::move(line)] { return StepResult::say(text); });
  return Algorithm(std::move(steps), priority);
}

StepResult Algorithm::advance() {
  if (finished()) return StepResult::stop();
  StepResult result = steps_[next_++]();
  if (result.abort) next_ = steps_.size();
  return result;
}

}  // namespace requip

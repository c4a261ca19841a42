#include "requip/core/dispatcher.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "requip/core/unavailable.hpp"

namespace requip {

std::optional<std::string> Dispatcher::submit(Algorithm algorithm) {
  if (queue_.size() >= capacity_) {
    ++refused_;
    return fmt::format("dispatcher queue is full ({} algorithms): refused an algorithm from '{}'",
                       capacity_, algorithm.origin().empty() ? "?" : algorithm.origin());
  }
  queue_.push_back({std::move(algorithm), next_sequence_++});
  return std::nullopt;
}

std::vector<Dispatcher::Entry>::iterator Dispatcher::most_urgent() {
  // The queue is short (bounded, usually a handful), so a linear scan beats a heap that
  // would have to be re-ordered on every pre-emption.
  return std::min_element(queue_.begin(), queue_.end(), [](const auto& a, const auto& b) {
    if (a.algorithm.priority() != b.algorithm.priority()) {
      return a.algorithm.priority() < b.algorithm.priority();
    }
    return a.sequence < b.sequence;
  });
}

std::string Dispatcher::next_origin() {
  return queue_.empty() ? std::string() : most_urgent()->algorithm.origin();
}

std::optional<StepOutput> Dispatcher::tick() {
  if (queue_.empty()) return std::nullopt;
  auto most_urgent = this->most_urgent();
  StepOutput output;
  output.origin = most_urgent->algorithm.origin();
  bool finished = false;
  try {
    StepResult result = most_urgent->algorithm.advance();
    output.line = std::move(result.line);
    output.aborted = result.abort;
    finished = most_urgent->algorithm.finished();
  } catch (const Unavailable& error) {
    output.failure = error.reason();
    output.unavailable = true;
  } catch (const std::exception& error) {
    output.failure = error.what();
  } catch (...) {
    output.failure = "unknown exception";
  }
  if (finished || !output.failure.empty()) {
    output.aborted = output.aborted || !output.failure.empty();
    queue_.erase(most_urgent);
  }
  return output;
}

}  // namespace requip

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "requip/core/algorithm.hpp"
#include "requip/core/routing.hpp"
#include "requip/core/stimulus.hpp"

namespace requip {

class Brain;

// One input as aware skills see it, before the other skills do. An aware skill may narrow
// who answers, answer itself, or change the conversation (changes apply when the turn ends).
class Turn {
 public:
  Turn(const Stimulus& stimulus, Brain& brain) : stimulus_(stimulus), brain_(brain) {}

  const Stimulus& stimulus() const { return stimulus_; }
  Brain& brain() { return brain_; }

  // Only the named skill sees the input.
  void route_to(std::string skill) { routed_to_ = std::move(skill); }
  // The aware skill answers; no other skill sees the input.
  void answer(Algorithm algorithm) {
    answers_.push_back(std::move(algorithm));
    consumed_ = true;
  }
  // No other skill sees the input, and nothing answers.
  void consume() { consumed_ = true; }
  // Says why the input went where it went; the turn's Reply carries it.
  void explain(Routing routing) { why_ = std::move(routing); }

  const std::optional<std::string>& routed_to() const { return routed_to_; }
  bool consumed() const { return consumed_; }
  std::vector<Algorithm>& answers() { return answers_; }
  std::optional<Routing>& why() { return why_; }

 private:
  const Stimulus& stimulus_;
  Brain& brain_;
  std::optional<std::string> routed_to_;
  std::vector<Algorithm> answers_;
  bool consumed_ = false;
  std::optional<Routing> why_;
};

}  // namespace requip

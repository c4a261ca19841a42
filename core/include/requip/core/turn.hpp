#pragma once

#include <functional>
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

  // The input is offered to these skills in this order, best first; the first that answers
  // takes the turn and the rest never see it.
  void route_to(std::vector<std::string> skills_in_order) {
    routed_to_ = std::move(skills_in_order);
  }
  // Said when none of the skills routed to answers, so that an input never goes unanswered.
  void otherwise(Algorithm algorithm) { otherwise_ = std::move(algorithm); }
  // Told which routed skill answered (empty if none did) and which declined before it.
  using Routed =
      std::function<void(const std::string& answered, const std::vector<std::string>& declined)>;
  void when_routed(Routed routed) { when_routed_ = std::move(routed); }
  // The aware skill answers; no other skill sees the input.
  void answer(Algorithm algorithm) {
    answers_.push_back(std::move(algorithm));
    consumed_ = true;
  }
  // No other skill sees the input, and nothing answers.
  void consume() { consumed_ = true; }
  // Says why the input went where it went; the turn's Reply carries it.
  void explain(Routing routing) { why_ = std::move(routing); }

  const std::vector<std::string>& routed_to() const { return routed_to_; }
  std::optional<Algorithm>& otherwise() { return otherwise_; }
  const Routed& when_routed() const { return when_routed_; }
  bool consumed() const { return consumed_; }
  std::vector<Algorithm>& answers() { return answers_; }
  std::optional<Routing>& why() { return why_; }

 private:
  const Stimulus& stimulus_;
  Brain& brain_;
  std::vector<std::string> routed_to_;  // empty: every skill sees the input
  std::optional<Algorithm> otherwise_;
  Routed when_routed_;
  std::vector<Algorithm> answers_;
  bool consumed_ = false;
  std::optional<Routing> why_;
};

}  // namespace requip

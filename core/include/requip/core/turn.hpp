#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "requip/core/algorithm.hpp"
#include "requip/core/follow_up.hpp"
#include "requip/core/routing.hpp"
#include "requip/core/stimulus.hpp"

namespace requip {

class Brain;

// One input as aware skills see it, before the other skills do. An aware skill may narrow
// who answers, answer itself, or change the conversation (changes apply when the turn ends).
class Turn {
 public:
  // Offers the input to the asking skill; true if it answered.
  using AnswerFollowUp = std::function<bool(const FollowUp&)>;
  // What became of the question waiting when the turn began.
  enum class FollowUpFate { open, offered, kept, cancelled };

  Turn(const Stimulus& stimulus, Brain& brain, std::optional<FollowUp> follow_up = {},
       AnswerFollowUp answer_follow_up = {})
      : stimulus_(stimulus),
        brain_(brain),
        follow_up_(std::move(follow_up)),
        answer_follow_up_(std::move(answer_follow_up)) {}

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
  // Told, once the turn is routed and answered, which question waits for the conversation's
  // next input (none, the one asked before, or one asked in this turn).
  using Settled = std::function<void(const std::optional<FollowUp>& waiting)>;
  void when_settled(Settled settled) { when_settled_.push_back(std::move(settled)); }
  // The aware skill answers; no other skill sees the input.
  void answer(Algorithm algorithm) {
    answers_.push_back(std::move(algorithm));
    consumed_ = true;
  }
  // No other skill sees the input, and nothing answers.
  void consume() { consumed_ = true; }
  // Says why the input went where it went; the turn's Reply carries it.
  void explain(Routing routing) { why_ = std::move(routing); }

  // The question a skill asked in an earlier turn that this input may answer, while nothing
  // has been decided about it yet; null when none waits.
  const FollowUp* follow_up() const {
    return follow_up_ && fate_ == FollowUpFate::open ? &*follow_up_ : nullptr;
  }
  // Offers the input to the asking skill now, as its answer. True if it took it: its answer
  // is queued and no other skill sees the input. False if it declined: route the input as if
  // nothing had been asked.
  bool offer_follow_up() {
    if (!follow_up()) return false;
    fate_ = FollowUpFate::offered;
    if (!answer_follow_up_ || !answer_follow_up_(*follow_up_)) return false;
    consumed_ = true;
    return true;
  }
  // The input is not the answer (feedback, say): the question waits for the next input.
  void keep_follow_up() { fate_ = FollowUpFate::kept; }
  // The question is dropped: the user moved on ("never mind", a new request).
  void cancel_follow_up() { fate_ = FollowUpFate::cancelled; }
  // The question another process left waiting in this conversation (the one that served its
  // previous turn): it replaces the one this process knew, or clears it when there is none.
  void resume_follow_up(std::optional<FollowUp> question) {
    follow_up_ = std::move(question);
    fate_ = FollowUpFate::open;
  }
  // The question this input did not settle (feedback, sensor input): it waits for the next.
  std::optional<FollowUp> unsettled_follow_up() const {
    const bool waits = fate_ == FollowUpFate::open || fate_ == FollowUpFate::kept;
    return waits ? follow_up_ : std::nullopt;
  }

  const std::vector<std::string>& routed_to() const { return routed_to_; }
  std::optional<Algorithm>& otherwise() { return otherwise_; }
  const Routed& when_routed() const { return when_routed_; }
  const std::vector<Settled>& when_settled() const { return when_settled_; }
  bool consumed() const { return consumed_; }
  std::vector<Algorithm>& answers() { return answers_; }
  std::optional<Routing>& why() { return why_; }

 private:
  const Stimulus& stimulus_;
  Brain& brain_;
  std::vector<std::string> routed_to_;  // empty: every skill sees the input
  std::optional<Algorithm> otherwise_;
  Routed when_routed_;
  std::vector<Settled> when_settled_;
  std::vector<Algorithm> answers_;
  bool consumed_ = false;
  std::optional<Routing> why_;
  std::optional<FollowUp> follow_up_;
  AnswerFollowUp answer_follow_up_;
  FollowUpFate fate_ = FollowUpFate::open;
};

}  // namespace requip

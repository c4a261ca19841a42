#include "requip/router/session_state.hpp"

namespace requip::router {

void SessionState::answered(PreviousAnswer answer) {
  // A different skill answering starts a fresh run of complaints.
  if (!previous_ || previous_->skill != answer.skill) complaints_ = 0;
  previous_ = std::move(answer);
}

void SessionState::equip(std::string skill, std::string key) {
  equipped_ = std::move(skill);
  equipped_key_ = std::move(key);
  complaints_ = 0;
}

void SessionState::unequip() {
  equipped_.clear();
  equipped_key_.clear();
}

void SessionState::reject(const std::string& key, const std::string& skill) {
  rejected_[key].insert(skill);
}

bool SessionState::rejected(const std::string& key, const std::string& skill) const {
  auto found = rejected_.find(key);
  return found != rejected_.end() && found->second.count(skill) > 0;
}

const std::set<std::string>& SessionState::rejected_for(const std::string& key) const {
  static const std::set<std::string> none;
  auto found = rejected_.find(key);
  return found == rejected_.end() ? none : found->second;
}

bool SessionState::complain(int tolerance) {
  if (++complaints_ < tolerance) return false;
  complaints_ = 0;
  return true;
}

std::optional<Clarification> SessionState::take_question() {
  auto question = std::move(pending_);
  pending_.reset();
  return question;
}

}  // namespace requip::router

#include "requip/router/session_state.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace requip::router {

std::string SessionState::to_json() const {
  nlohmann::json state = {{"equipped", equipped_},
                          {"equipped_key", equipped_key_},
                          {"rejected", rejected_},
                          {"complaints", complaints_}};
  if (previous_)
    state["previous"] = {
        {"skill", previous_->skill}, {"key", previous_->key}, {"text", previous_->text}};
  if (pending_)
    state["question"] = {
        {"key", pending_->key}, {"text", pending_->text}, {"options", pending_->options}};
  return state.dump();
}

SessionState SessionState::from_json(std::string_view text) {
  try {
    const auto state = nlohmann::json::parse(text);
    SessionState session;
    state.at("equipped").get_to(session.equipped_);
    state.at("equipped_key").get_to(session.equipped_key_);
    state.at("rejected").get_to(session.rejected_);
    state.at("complaints").get_to(session.complaints_);
    if (const auto previous = state.find("previous"); previous != state.end())
      session.previous_ =
          PreviousAnswer{previous->at("skill"), previous->at("key"), previous->at("text")};
    if (const auto question = state.find("question"); question != state.end()) {
      session.pending_ = Clarification{question->at("key"), question->at("text"),
                                       question->at("options").get<std::vector<std::string>>()};
      if (session.pending_->options.size() < 2)
        throw std::invalid_argument("a question needs two options");
    }
    return session;
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(error.what());
  }
}

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

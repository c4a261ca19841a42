#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace requip::router {

// Who answered the previous turn of a session, and to what: the only skill feedback is
// credited to.
struct PreviousAnswer {
  std::string skill;
  std::string key;   // normalized input the skill answered
  std::string text;  // the input as typed, the example the gate learns from
};

// A question the router asked ("did you mean A or B?") and waits on.
struct Clarification {
  std::string key;
  std::string text;
  std::vector<std::string> options;
};

// What one conversation knows that others must not see: the previous answer, the equipped
// skill, the skills rejected per key, the run of minor complaints and the question asked.
class SessionState {
 public:
  // As JSON text and back, for a conversation continued by another process. from_json
  // throws std::invalid_argument on text that is not such a state.
  std::string to_json() const;
  static SessionState from_json(std::string_view text);

  void answered(PreviousAnswer answer);
  const std::optional<PreviousAnswer>& previous() const { return previous_; }
  void forget_previous() { previous_.reset(); }

  // An equipped skill answers every plain input until another is equipped or it is rejected.
  void equip(std::string skill, std::string key);
  void unequip();
  const std::string& equipped() const { return equipped_; }
  const std::string& equipped_key() const { return equipped_key_; }

  void reject(const std::string& key, const std::string& skill);
  bool rejected(const std::string& key, const std::string& skill) const;
  const std::set<std::string>& rejected_for(const std::string& key) const;
  void forget_key(const std::string& key) { rejected_.erase(key); }

  // Counts one minor complaint. True when the tolerance is reached; the count then starts over.
  bool complain(int tolerance);
  int complaints() const { return complaints_; }

  void ask(Clarification question) { pending_ = std::move(question); }
  // The pending question, handed over once.
  std::optional<Clarification> take_question();
  bool asking() const { return pending_.has_value(); }

 private:
  std::optional<PreviousAnswer> previous_;
  std::string equipped_;
  std::string equipped_key_;
  std::map<std::string, std::set<std::string>> rejected_;
  int complaints_ = 0;
  std::optional<Clarification> pending_;
};

}  // namespace requip::router

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "requip/core/follow_up.hpp"
#include "requip/core/heart.hpp"
#include "requip/core/memento.hpp"

namespace requip {

// The context every skill of one conversation shares: durable memory, a message board, the
// emotion the conversation last showed, the question a skill waits on an answer to, and whose
// conversation it is.
class Kokoro {
 public:
  explicit Kokoro(std::shared_ptr<Memento> memento, std::string user = {})
      : memento_(std::move(memento)), user_(std::move(user)) {}

  Memento& memento() { return *memento_; }
  const std::shared_ptr<Memento>& shared_memento() const { return memento_; }
  Heart& heart() { return heart_; }
  // Whose memory the skills' memory() is: empty inside a plugin, whose host namespaces it.
  const std::string& user() const { return user_; }

  const std::string& emotion() const { return emotion_; }
  void set_emotion(std::string tag) { emotion_ = std::move(tag); }

  // A skill's question whose answer is the next input; it replaces one asked before.
  void ask(FollowUp question) { follow_up_ = std::move(question); }
  const std::optional<FollowUp>& follow_up() const { return follow_up_; }
  // The question, handed over once: the turn it is offered in takes it.
  std::optional<FollowUp> take_follow_up() { return std::exchange(follow_up_, std::nullopt); }
  void cancel_follow_up() { follow_up_.reset(); }

  // What the conversation should be told that is no skill's answer (a plugin restarted, and
  // what it held in memory lost): shown with the turn's notices.
  void notify(std::string notice) { notices_.push_back(std::move(notice)); }
  std::vector<std::string> take_notices() { return std::exchange(notices_, {}); }

 private:
  std::shared_ptr<Memento> memento_;
  std::string user_;
  Heart heart_;
  std::string emotion_;
  std::optional<FollowUp> follow_up_;
  std::vector<std::string> notices_;
};

}  // namespace requip

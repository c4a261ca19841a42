#pragma once

#include <memory>
#include <string>

#include "requip/core/heart.hpp"
#include "requip/core/memento.hpp"

namespace requip {

// The context every skill of one conversation shares: durable memory, a message board, the
// emotion the conversation last showed, and whose conversation it is.
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

 private:
  std::shared_ptr<Memento> memento_;
  std::string user_;
  Heart heart_;
  std::string emotion_;
};

}  // namespace requip

#pragma once

#include <memory>
#include <string>

#include "requip/core/heart.hpp"
#include "requip/core/memento.hpp"

namespace requip {

// The context every skill of a brain shares: durable memory, a message board, and the
// emotion the brain last showed.
class Kokoro {
 public:
  explicit Kokoro(std::shared_ptr<Memento> memento) : memento_(std::move(memento)) {}

  Memento& memento() { return *memento_; }
  const std::shared_ptr<Memento>& shared_memento() const { return memento_; }
  Heart& heart() { return heart_; }

  const std::string& emotion() const { return emotion_; }
  void set_emotion(std::string tag) { emotion_ = std::move(tag); }

 private:
  std::shared_ptr<Memento> memento_;
  Heart heart_;
  std::string emotion_;
};

}  // namespace requip

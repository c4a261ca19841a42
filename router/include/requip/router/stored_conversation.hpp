#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "requip/core/memento.hpp"
#include "requip/router/session_state.hpp"

namespace requip::router {

// A conversation's router state as kept in the user's memory, so that whichever process serves
// the user's next turn continues it. Written when the state changes, read back before a turn;
// the record carries when it was written, and a conversation quiet for longer than
// `resume_within` starts over rather than resuming.
class StoredConversation {
 public:
  explicit StoredConversation(std::chrono::seconds resume_within) : resume_within_(resume_within) {}

  // Replaces `state` with the stored one if another process wrote it since this one last did.
  // A record that cannot be read is logged and left for the next keep() to overwrite.
  void resume(const MementoView& memory, SessionState& state);
  // Stores `state` if it changed, or if the record would otherwise soon look quiet.
  void keep(MementoView memory, const SessionState& state);

 private:
  std::chrono::seconds resume_within_;
  std::string record_;  // as last written or read
  std::string state_;   // its state part
  std::int64_t written_at_ms_ = 0;
};

}  // namespace requip::router

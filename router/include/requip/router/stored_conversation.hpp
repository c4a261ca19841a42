#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "requip/core/follow_up.hpp"
#include "requip/core/memento.hpp"
#include "requip/router/session_state.hpp"

namespace requip::router {

// A conversation's router state, and the question a skill waits on an answer to, as kept in
// the user's memory, so that whichever process serves the user's next turn continues it.
// Written when they change, read back before a turn; the record carries when it was written,
// and a conversation quiet for longer than `resume_within` starts over rather than resuming.
class StoredConversation {
 public:
  explicit StoredConversation(std::chrono::seconds resume_within) : resume_within_(resume_within) {}

  // Replaces `state` and `question` with the stored ones if another process wrote them since
  // this one last did, and says whether it did. A record that cannot be read is logged and
  // left for the next keep() to overwrite.
  bool resume(const MementoView& memory, SessionState& state, std::optional<FollowUp>& question);
  // Stores them if they changed, or if the record would otherwise soon look quiet.
  void keep(MementoView memory, const SessionState& state, const std::optional<FollowUp>& question);

 private:
  std::chrono::seconds resume_within_;
  std::string record_;  // as last written or read
  std::string state_;   // its state and question
  std::int64_t written_at_ms_ = 0;
};

}  // namespace requip::router

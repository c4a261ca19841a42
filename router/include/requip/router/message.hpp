#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "requip/memory/feedback_log.hpp"

namespace requip::router {

// The words that steer the router. Every list is configurable; these are the defaults.
struct FeedbackWords {
  std::string trigger = "please";  // as the first or last word: an explicit request to equip
  std::vector<std::string> goals{"thanks", "good"};  // confirm the skill that answered
  std::vector<std::string> minor{"lame"};            // complaints, re-equip after minor_tolerance
  int minor_tolerance = 3;
  std::vector<std::string> major{"wrong"};  // reject at once
  // The whole message: let go of the equipped skill, so that each input is routed again.
  std::vector<std::string> release{"never mind", "unequip"};
};

enum class MessageKind {
  plain,     // route it
  request,   // trigger word: equip a skill for the key
  feedback,  // about the previous answer
  release,   // a release phrase: unequip
};

struct Message {
  MessageKind kind = MessageKind::plain;
  std::string key;  // normalized text; for a request, without the trigger
  // For feedback only: a goal word confirms, the minor and major words complain.
  memory::Verdict verdict = memory::Verdict::confirm;
};

// Sorts user text into plain input, an explicit requip request, feedback, or a release.
// Feedback and releases are messages that are exactly one of their words or phrases (case and
// punctuation aside), so "good morning" stays plain input.
class MessageClassifier {
 public:
  explicit MessageClassifier(FeedbackWords words = {});

  Message classify(std::string_view text) const;
  const FeedbackWords& words() const { return words_; }

 private:
  FeedbackWords words_;
};

}  // namespace requip::router

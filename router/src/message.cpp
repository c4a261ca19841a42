#include "requip/router/message.hpp"

#include <algorithm>
#include <stdexcept>

#include "requip/router/featurizer.hpp"

namespace requip::router {

namespace {

bool listed(const std::vector<std::string>& list, const std::string& key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

// Feedback words are compared in the same normalized form as the messages.
void normalize_all(std::vector<std::string>& list) {
  for (auto& word : list)
    word = normalize(word);
}

}  // namespace

MessageClassifier::MessageClassifier(FeedbackWords words) : words_(std::move(words)) {
  words_.trigger = normalize(words_.trigger);
  normalize_all(words_.goals);
  normalize_all(words_.minor);
  normalize_all(words_.major);
  normalize_all(words_.release);
  if (words_.trigger.empty() || words_.trigger.find(' ') != std::string::npos) {
    throw std::invalid_argument("router: the trigger must be one word, e.g. \"please\"");
  }
  if (words_.minor_tolerance < 1) {
    throw std::invalid_argument("router: the minor-complaint tolerance must be at least 1");
  }
}

Message MessageClassifier::classify(std::string_view text) const {
  Message message;
  message.key = normalize(text);
  const std::string& key = message.key;
  if (listed(words_.goals, key)) return {MessageKind::feedback, key, memory::Verdict::confirm};
  if (listed(words_.minor, key))
    return {MessageKind::feedback, key, memory::Verdict::minor_complaint};
  if (listed(words_.major, key))
    return {MessageKind::feedback, key, memory::Verdict::major_complaint};
  if (listed(words_.release, key)) return {MessageKind::release, key};

  const std::string& trigger = words_.trigger;
  if (key.size() > trigger.size() + 1) {
    if (key.compare(0, trigger.size() + 1, trigger + " ") == 0) {
      return {MessageKind::request, key.substr(trigger.size() + 1)};
    }
    if (key.compare(key.size() - trigger.size() - 1, std::string::npos, " " + trigger) == 0) {
      return {MessageKind::request, key.substr(0, key.size() - trigger.size() - 1)};
    }
  }
  return message;
}

}  // namespace requip::router

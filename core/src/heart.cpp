#include "requip/core/heart.hpp"

namespace requip {

void Heart::post(std::string_view topic, std::string message) {
  board_.insert_or_assign(std::string(topic), std::move(message));
}

std::optional<std::string> Heart::peek(std::string_view topic) const {
  auto found = board_.find(topic);
  if (found == board_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> Heart::take(std::string_view topic) {
  auto found = board_.find(topic);
  if (found == board_.end()) return std::nullopt;
  std::string message = std::move(found->second);
  board_.erase(found);
  return message;
}

}  // namespace requip

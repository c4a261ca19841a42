#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace requip {

// An in-memory message board through which the skills of one brain talk to each other,
// one message per topic. It lives as long as the brain and is never persisted.
class Heart {
 public:
  void post(std::string_view topic, std::string message);
  std::optional<std::string> peek(std::string_view topic) const;
  // Reads and removes the message, so that one skill consumes it.
  std::optional<std::string> take(std::string_view topic);

 private:
  std::map<std::string, std::string, std::less<>> board_;
};

}  // namespace requip

#pragma once

#include <string>

namespace requip {

// What a skill perceives in one think cycle. Any channel may be empty.
struct Stimulus {
  std::string ear;   // text the user said or typed
  std::string skin;  // sensor or event text (timers, webhooks)
  std::string eye;   // text describing what a camera saw

  bool empty() const { return ear.empty() && skin.empty() && eye.empty(); }
};

}  // namespace requip

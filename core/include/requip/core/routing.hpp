#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace requip {

// Why a turn went to the skill it went to, as the router that decided it tells it.
struct Routing {
  struct Score {
    std::string skill;
    float probability = 0;
  };
  struct Mapping {
    std::string key;
    std::string skill;
    int confirmations = 0;
    int rejections = 0;
  };

  std::string text;
  std::string key;
  // "equipped", "mapping", "gate", "clarify", "fallback", "feedback", "release", or
  // "follow-up": the input answered the question `skill` asked the turn before
  std::string source;
  std::string skill;       // the one that answered; empty for a fallback or a question
  std::vector<Score> top;  // best gate scores
  float confidence = 0;
  std::optional<Mapping> mapping;
  std::size_t feedback = 0;           // feedback entries that shaped the mapping
  std::vector<std::string> declined;  // offered the input before `skill`, and answered nothing
  // The skill whose question the input was offered to first, as its answer; when it declined,
  // `source` says how the input was routed instead.
  std::string follow_up;
};

}  // namespace requip

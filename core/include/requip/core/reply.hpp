#pragma once

#include <optional>
#include <string>
#include <vector>

#include "requip/core/routing.hpp"

namespace requip {

// What one turn of a conversation produced: every line of it, and what a caller shows beside.
struct Reply {
  std::vector<std::string> lines;
  std::string skill;    // the skill whose algorithm spoke last; empty if none did
  std::string emotion;  // the conversation's emotion after the turn
  // Things the user or operator should know that are not answers: refused algorithms,
  // failing skills. Never silent.
  std::vector<std::string> notices;
  // Set when the input itself was refused; then no skill ran.
  std::string error;
  // Set when something the turn needed could not be reached for now (see Unavailable): the
  // answer may be incomplete, and the same input is worth sending again later.
  std::string unavailable;
  // How a router routed the input, when one did.
  std::optional<Routing> why;

  bool answered() const { return !lines.empty(); }
};

}  // namespace requip

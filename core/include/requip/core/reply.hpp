#pragma once

#include <string>
#include <vector>

namespace requip {

// What one think cycle produced.
struct Reply {
  std::vector<std::string> lines;
  std::string skill;    // the skill whose algorithm spoke; empty if none did
  std::string emotion;  // the brain's emotion after the cycle
  // Things the user or operator should know that are not answers: refused algorithms,
  // failing skills. Never silent.
  std::vector<std::string> notices;
  // Set when the input itself was refused; then no skill ran.
  std::string error;

  bool answered() const { return !lines.empty(); }
};

}  // namespace requip

#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace requip::cli {

// A one-line progress bar on stderr with rate and ETA, redrawn in place on a terminal. When
// stderr is not a terminal (a log file, a pipe) it prints a plain line every tenth of the way.
class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t total, std::string unit);

  // `done` units finished; `note` is shown after the figures (e.g. the current loss).
  void update(std::int64_t done, const std::string& note = {});
  // Clears the bar so that a normal line can be printed; the next update redraws it.
  void clear();
  // The bar at 100% followed by a newline.
  void finish(const std::string& note = {});

 private:
  std::string line(std::int64_t done, const std::string& note) const;

  std::string label_;
  std::int64_t total_;
  std::string unit_;
  bool terminal_;
  std::int64_t next_plain_report_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace requip::cli

#include "progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace requip::cli {

namespace {

std::string clock_time(double seconds) {
  const auto total = static_cast<std::int64_t>(seconds + 0.5);
  if (total >= 3600) return fmt::format("{}h{:02}m", total / 3600, total / 60 % 60);
  return fmt::format("{}m{:02}s", total / 60, total % 60);
}

}  // namespace

ProgressBar::ProgressBar(std::string label, std::int64_t total, std::string unit)
    : label_(std::move(label)),
      total_(std::max<std::int64_t>(total, 1)),
      unit_(std::move(unit)),
      terminal_(isatty(STDERR_FILENO) == 1) {}

std::string ProgressBar::line(std::int64_t done, const std::string& note) const {
  constexpr int width = 30;
  const double fraction = std::clamp(static_cast<double>(done) / total_, 0.0, 1.0);
  const auto filled = static_cast<int>(fraction * width);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0;
  return fmt::format("{} [{}{}] {}/{} {:.2f} {}/s ETA {}{}{}", label_, std::string(filled, '#'),
                     std::string(width - filled, '.'), done, total_, rate, unit_, clock_time(eta),
                     note.empty() ? "" : " | ", note);
}

void ProgressBar::update(std::int64_t done, const std::string& note) {
  if (!terminal_) {
    if (done < next_plain_report_) return;
    next_plain_report_ = done + std::max<std::int64_t>(1, total_ / 10);
    fmt::print(stderr, "{}\n", line(done, note));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  fmt::print(stderr, "\r\033[K{}", line(done, note));
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (terminal_) fmt::print(stderr, "\r\033[K");
}

void ProgressBar::finish(const std::string& note) {
  const std::string final_line = line(total_, note);
  fmt::print(stderr, "{}{}\n", terminal_ ? "\r\033[K" : "", final_line);
}

}  // namespace requip::cli

#include "line_reader.hpp"

#include <editline/readline.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <system_error>

namespace requip::cli {

namespace {

// libedit's callback interface hands a finished line to a plain function, so the line
// being read waits here; one LineReader reads at a time, on the main thread.
struct PendingLine {
  bool done = false;
  std::optional<std::string> text;
};
PendingLine* pending_line = nullptr;

void finish_line(char* raw) {
  std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
  pending_line->done = true;
  if (owned) pending_line->text = owned.get();
}

}  // namespace

LineReader::LineReader(std::filesystem::path history_file)
    : history_file_(std::move(history_file)), interactive_(::isatty(STDIN_FILENO) != 0) {
  if (!interactive_) return;
  using_history();
  if (!history_file_.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(history_file_.parent_path(), ignored);
    read_history(history_file_.c_str());
  }
}

LineReader::~LineReader() {
  if (interactive_ && !history_file_.empty()) write_history(history_file_.c_str());
}

void LineReader::on_idle(std::function<std::string()> idle, std::chrono::milliseconds interval) {
  idle_ = std::move(idle);
  idle_interval_ = interval;
}

std::optional<std::string> LineReader::next(const std::string& prompt) {
  std::optional<std::string> line;
  if (interactive_) {
    line = edit_with_idle(prompt);
    if (line && !line->empty()) add_history(line->c_str());
  } else if (std::string text; std::getline(std::cin, text)) {
    line = std::move(text);
  }
  if (line && !line->empty() && line->back() == '\r') line->pop_back();
  return line;
}

std::optional<std::string> LineReader::edit_with_idle(const std::string& prompt) {
  if (!idle_) {
    std::unique_ptr<char, decltype(&std::free)> raw(readline(prompt.c_str()), &std::free);
    if (!raw) return std::nullopt;
    return std::string(raw.get());
  }
  PendingLine line;
  pending_line = &line;
  rl_callback_handler_install(prompt.c_str(), finish_line);
  while (!line.done) {
    pollfd input{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&input, 1, static_cast<int>(idle_interval_.count()));
    if (ready > 0) {
      rl_callback_read_char();
    } else if (ready == 0) {
      const std::string text = idle_();
      if (text.empty()) continue;
      // Clear the half-typed line, print above it, then draw prompt and line again.
      std::fputs("\r\033[K", stdout);
      std::cout << text << std::flush;
      rl_forced_update_display();
    } else if (errno != EINTR) {
      break;
    }
  }
  rl_callback_handler_remove();
  pending_line = nullptr;
  return line.text;
}

}  // namespace requip::cli

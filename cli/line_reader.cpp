#include "line_reader.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <system_error>

namespace requip::cli {

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

std::optional<std::string> LineReader::next(const std::string& prompt) {
  std::string line;
  if (interactive_) {
    std::unique_ptr<char, decltype(&std::free)> raw(readline(prompt.c_str()), &std::free);
    if (!raw) return std::nullopt;
    line = raw.get();
    if (!line.empty()) add_history(raw.get());
  } else if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace requip::cli

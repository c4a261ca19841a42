#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace requip::cli {

// Where the REPL's lines come from: libedit with history on a terminal, plain reads to EOF
// otherwise so that the REPL can be scripted.
class LineReader {
 public:
  // history_file is used on a terminal only; an empty path keeps no history.
  explicit LineReader(std::filesystem::path history_file);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  // On a terminal, called every `interval` while the user has not finished a line. Text it
  // returns is printed above the prompt, and the line being typed is drawn again below it.
  void on_idle(std::function<std::string()> idle, std::chrono::milliseconds interval);

  // The next line without its end-of-line, or nothing at end of input.
  std::optional<std::string> next(const std::string& prompt);
  bool interactive() const { return interactive_; }

 private:
  std::optional<std::string> edit_with_idle(const std::string& prompt);

  std::filesystem::path history_file_;
  bool interactive_;
  std::function<std::string()> idle_;
  std::chrono::milliseconds idle_interval_{0};
};

}  // namespace requip::cli

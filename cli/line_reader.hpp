#pragma once

#include <filesystem>
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

  // The next line without its end-of-line, or nothing at end of input.
  std::optional<std::string> next(const std::string& prompt);
  bool interactive() const { return interactive_; }

 private:
  std::filesystem::path history_file_;
  bool interactive_;
};

}  // namespace requip::cli

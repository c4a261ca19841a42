#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>

#include "line_reader.hpp"
#include "requip/core/brain.hpp"

namespace requip::cli {

// The chat loop: reads lines, runs slash commands, sends everything else to the brain and
// prints each reply. Bad input is reported and the loop goes on.
class Repl {
 public:
  Repl(Brain& brain, LineReader& reader, std::ostream& out);

  // A slash command beyond the built-in ones; it gets the text after the command name.
  using Command = std::function<void(const std::string& argument, std::ostream& out)>;
  void add_command(std::string name, std::string help, Command command);

  // Runs until /quit or end of input.
  void run();

 private:
  // Returns false when the loop should end.
  bool command(const std::string& line);
  void converse(const std::string& line);
  void print(const Reply& reply);

  struct Extra {
    std::string help;
    Command run;
  };

  std::map<std::string, Extra> extras_;
  Brain& brain_;
  LineReader& reader_;
  std::ostream& out_;
};

}  // namespace requip::cli

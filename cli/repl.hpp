#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "line_reader.hpp"
#include "requip/core/brain.hpp"

namespace requip::cli {

// A slash command another part of the program adds to the REPL.
struct ReplCommand {
  std::string name;  // with its slash: "/reload"
  std::string help;
  // Gets the text after the command's name ("" if none).
  std::function<void(const std::string& argument, std::ostream& out)> run;
};

// The chat loop: reads lines, runs slash commands, sends everything else to the brain and
// prints each reply. Bad input is reported and the loop goes on.
class Repl {
 public:
  Repl(Brain& brain, LineReader& reader, std::ostream& out);

  void add_command(ReplCommand command);
  // Runs before every turn, on the thread that runs turns: the place for changes to the
  // brain that must wait for a turn boundary.
  void on_turn_boundary(std::function<void(std::ostream&)> hook);
  // Runs after every turn with what the brain answered.
  void after_turn(std::function<void(const Reply&)> hook);

  // Runs until /quit or end of input.
  void run();

 private:
  // Returns false when the loop should end.
  bool command(const std::string& line);
  void converse(const std::string& line);
  // What a turn boundary prints: boundary hooks, then a back-seat tick (timers, reminders).
  void between_turns(std::ostream& out);
  void print(const Reply& reply, std::ostream& out);

  Brain& brain_;
  LineReader& reader_;
  std::ostream& out_;
  std::vector<ReplCommand> commands_;
  std::vector<std::function<void(std::ostream&)>> boundary_hooks_;
  std::vector<std::function<void(const Reply&)>> turn_hooks_;
};

}  // namespace requip::cli

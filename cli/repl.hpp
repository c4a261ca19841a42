#pragma once

#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

#include "line_reader.hpp"
#include "requip/serve/conversations.hpp"

namespace requip::cli {

// A slash command another part of the program adds to the REPL.
struct ReplCommand {
  std::string name;  // with its slash: "/reload"
  std::string help;
  // Gets the text after the command's name ("" if none).
  std::function<void(const std::string& argument, std::ostream& out)> run;
};

// The chat loop: reads lines, runs slash commands, sends everything else as a turn of the
// local user's conversation and prints each line as its step runs. Turns go through the same
// Conversations as `requip serve`'s, with the same deadline. Bad input is reported and the
// loop goes on.
class Repl {
 public:
  Repl(serve::Conversations& conversations, LineReader& reader, std::ostream& out);

  void add_command(ReplCommand command);
  // Runs before every turn: where plugin changes are reported.
  void on_turn_boundary(std::function<void(std::ostream&)> hook);
  // Runs after every turn with what the conversation answered.
  void after_turn(std::function<void(const Reply&)> hook);
  // Runs after /skills has listed the skills: where the router warns of those it confuses.
  void after_skill_list(std::function<void(std::ostream&)> hook);

  // The conversation's id, for commands that visit it.
  const std::string& session() const { return session_; }
  serve::Conversations& conversations() { return conversations_; }

  // Runs until /quit or end of input.
  void run();

 private:
  // Returns false when the loop should end.
  bool command(const std::string& line);
  void converse(const std::string& line);
  // What a turn boundary prints: boundary hooks, then what continuous skills say (reminders).
  void between_turns(std::ostream& out);
  void print_line(std::ostream& out, const std::string& line);

  serve::Conversations& conversations_;
  const std::string session_;
  LineReader& reader_;
  std::ostream& out_;
  std::mutex print_mutex_;  // lines come from the turn thread
  std::vector<ReplCommand> commands_;
  std::vector<std::function<void(std::ostream&)>> boundary_hooks_;
  std::vector<std::function<void(const Reply&)>> turn_hooks_;
  std::vector<std::function<void(std::ostream&)>> skill_list_hooks_;
};

}  // namespace requip::cli

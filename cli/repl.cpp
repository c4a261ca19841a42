#include "repl.hpp"

#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>
#include <sstream>

namespace requip::cli {

namespace {
constexpr const char* help_text =
    "Type a message and a skill answers. Commands:\n"
    "  /help    this help\n"
    "  /skills  the skills loaded, with what they do\n"
    "  /quit    leave (end of input works too)";
}

Repl::Repl(Brain& brain, LineReader& reader, std::ostream& out)
    : brain_(brain), reader_(reader), out_(out) {
  // Reminders fall due while the user types: the reader prints them above the line.
  reader_.on_idle(
      [this] {
        std::ostringstream text;
        between_turns(text);
        return text.str();
      },
      std::chrono::milliseconds(250));
}

void Repl::add_command(ReplCommand command) {
  commands_.push_back(std::move(command));
}

void Repl::on_turn_boundary(std::function<void(std::ostream&)> hook) {
  boundary_hooks_.push_back(std::move(hook));
}

void Repl::after_turn(std::function<void(const Reply&)> hook) {
  turn_hooks_.push_back(std::move(hook));
}

void Repl::run() {
  if (reader_.interactive()) {
    fmt::print(out_, "requip chat: type a message, /help for commands, /quit to leave.\n");
  }
  while (auto line = reader_.next("you> ")) {
    if (!line->empty() && line->front() == '/') {
      if (!command(*line)) break;
    } else {
      converse(*line);
    }
    out_.flush();
  }
}

bool Repl::command(const std::string& line) {
  const std::string name = line.substr(0, line.find(' '));
  if (name == "/quit" || name == "/exit") return false;
  if (name == "/help") {
    fmt::print(out_, "{}\n", help_text);
    for (const auto& extra : commands_)
      fmt::print(out_, "  {:<8} {}\n", extra.name, extra.help);
  } else if (auto extra = std::find_if(commands_.begin(), commands_.end(),
                                       [&](const ReplCommand& c) { return c.name == name; });
             extra != commands_.end()) {
    const auto space = line.find(' ');
    extra->run(space == std::string::npos ? "" : line.substr(space + 1), out_);
  } else if (name == "/skills") {
    for (const auto& skill : brain_.skills()) {
      fmt::print(out_, "  {:<12} {:<8} {:<10} {}\n", skill->name(), skill->version(),
                 to_string(skill->kind()), skill->description());
    }
  } else {
    fmt::print(out_, "! unknown command '{}': type /help for the list\n", name);
  }
  return true;
}

void Repl::between_turns(std::ostream& out) {
  for (const auto& hook : boundary_hooks_)
    hook(out);
  // Continuous skills (timers, reminders) get a tick between turns when nothing is pending.
  if (!brain_.busy()) print(brain_.tick(), out);
}

void Repl::converse(const std::string& line) {
  between_turns(out_);
  Reply reply = brain_.think(line);
  for (const auto& hook : turn_hooks_)
    hook(reply);
  if (!reply.error.empty()) {
    fmt::print(out_, "! {}\n", reply.error);
    return;
  }
  if (!reply.answered() && !brain_.busy() && reply.notices.empty()) {
    fmt::print(out_, "I have no skill for that yet. Type /skills to see what I can do.\n");
    return;
  }
  print(reply, out_);
  // Multi-step answers continue on ticks; finish them before the next prompt.
  while (brain_.busy())
    print(brain_.tick(), out_);
}

void Repl::print(const Reply& reply, std::ostream& out) {
  for (const auto& notice : reply.notices)
    fmt::print(out, "! {}\n", notice);
  for (const auto& text : reply.lines)
    fmt::print(out, "{}\n", text);
}

}  // namespace requip::cli

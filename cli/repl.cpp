#include "repl.hpp"

#include <fmt/ostream.h>

#include <algorithm>
#include <future>
#include <ostream>
#include <sstream>

namespace requip::cli {

namespace {

// "a", "a and b", "a, b and c".
std::string listing(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += names[i];
  }
  return text;
}

constexpr const char* help_text =
    "Type a message and a skill answers. Commands:\n"
    "  /help    this help\n"
    "  /skills  the skills loaded, with what they do, and those the router confuses\n"
    "  /quit    leave (end of input works too)";
}  // namespace

Repl::Repl(serve::Conversations& conversations, LineReader& reader, std::ostream& out)
    : conversations_(conversations), session_(Brain::local_user), reader_(reader), out_(out) {
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

void Repl::after_skill_list(std::function<void(std::ostream&)> hook) {
  skill_list_hooks_.push_back(std::move(hook));
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
    for (const auto& skill : conversations_.skills()) {
      fmt::print(out_, "  {:<12} {:<8} {:<10} {}\n", skill.name, skill.version, skill.kind,
                 skill.description);
    }
    for (const auto& hook : skill_list_hooks_)
      hook(out_);
  } else {
    fmt::print(out_, "! unknown command '{}': type /help for the list\n", name);
  }
  return true;
}

void Repl::between_turns(std::ostream& out) {
  for (const auto& hook : boundary_hooks_)
    hook(out);
  // Continuous skills (timers, reminders) get a tick between turns.
  conversations_.tick([&](const serve::PushedOutput& pushed) {
    for (const auto& line : pushed.lines)
      print_line(out, line);
  });
}

void Repl::print_line(std::ostream& out, const std::string& line) {
  std::lock_guard lock(print_mutex_);
  fmt::print(out, "{}\n", line);
  out.flush();
}

void Repl::converse(const std::string& line) {
  between_turns(out_);
  // Each line is shown as its step runs: a long answer appears as it is made.
  auto ended = std::make_shared<std::promise<Reply>>();
  auto reply_future = ended->get_future();
  conversations_.converse(
      session_, line, [this](const Output& output) { print_line(out_, output.line); },
      [ended](Reply reply, serve::TurnEnd) { ended->set_value(std::move(reply)); });
  const Reply reply = reply_future.get();
  for (const auto& hook : turn_hooks_)
    hook(reply);
  std::lock_guard lock(print_mutex_);
  if (!reply.error.empty()) {
    fmt::print(out_, "! {}\n", reply.error);
    return;
  }
  if (!reply.unavailable.empty()) fmt::print(out_, "! {}\n", reply.unavailable);
  // An answer from a skill the router did not ask first says so, and who had nothing to say.
  if (reply.why && !reply.why->declined.empty() && !reply.why->skill.empty()) {
    fmt::print(out_, "({} answered; {} had nothing to say)\n", reply.why->skill,
               listing(reply.why->declined));
  }
  for (const auto& notice : reply.notices)
    fmt::print(out_, "! {}\n", notice);
  if (!reply.answered() && reply.notices.empty()) {
    fmt::print(out_, "I have no skill for that yet. Type /skills to see what I can do.\n");
  }
}

}  // namespace requip::cli

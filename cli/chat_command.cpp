#include <CLI/CLI.hpp>

#include <iostream>

#include "builtin_skills.hpp"
#include "chat_router.hpp"
#include "commands.hpp"
#include "line_reader.hpp"
#include "paths.hpp"
#include "repl.hpp"

namespace requip::cli {

namespace {
struct ChatOptions {
  std::string history = (data_home() / "history").string();
  std::string db;
  bool router = false;
};
}  // namespace

void add_chat_command(CLI::App& app) {
  auto* chat =
      app.add_subcommand("chat", "talk to an agent in a REPL (reads stdin to EOF if piped)");
  auto options = std::make_shared<ChatOptions>();
  chat->add_option("--history", options->history,
                   "history file for interactive sessions ('' keeps none)")
      ->capture_default_str();
  chat->add_option("--db", options->db,
                   "requip database: memory and what the router learns survive restarts "
                   "(implies --router)");
  chat->add_flag("--router", options->router,
                 "route each input with the learned router (thanks/wrong/lame, please, /why)");
  chat->callback([options] {
    Brain brain(chat_memento(options->db));
    LineReader reader{std::filesystem::path(options->history)};
    Repl repl(brain, reader, std::cout);
    if (options->router || !options->db.empty()) add_router(brain, repl, options->db);
    for (auto& skill : make_builtin_skills())
      brain.add(std::move(skill));
    repl.run();
  });
}

}  // namespace requip::cli

#include <CLI/CLI.hpp>

#include <iostream>

#include "bundled_agent.hpp"
#include "chat_router.hpp"
#include "commands.hpp"
#include "line_reader.hpp"
#include "options.hpp"
#include "paths.hpp"
#include "repl.hpp"
#include "repl_plugins.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct ChatOptions {
  std::string history = (data_home() / "history").string();
  UserPlugins plugins;
  bool without_router = false;
  double turn_timeout_s = 10;
  double follow_up_timeout_s = 60;
};

}  // namespace

void add_chat_command(CLI::App& app, const GlobalOptions& options) {
  auto* chat =
      app.add_subcommand("chat", "talk to an agent in a REPL (reads stdin to EOF if piped)");
  auto chat_options = std::make_shared<ChatOptions>();
  chat->add_option("--history", chat_options->history,
                   "history file for interactive sessions ('' keeps none)")
      ->capture_default_str();
  add_user_plugin_options(*chat, chat_options->plugins);
  add_shared_option(*chat, SharedOption::no_router, chat_options->without_router);
  add_shared_option(*chat, SharedOption::turn_timeout, chat_options->turn_timeout_s);
  add_shared_option(*chat, SharedOption::follow_up_timeout, chat_options->follow_up_timeout_s);
  chat->callback([chat_options, &options] {
    BrainOptions brain;
    brain.follow_up_timeout = milliseconds_of(chat_options->follow_up_timeout_s);
    BundledAgent bundled(options.database(), chat_options->plugins, !chat_options->without_router,
                         brain);
    serve::ConversationOptions one_user;
    one_user.threads = 1;
    one_user.turn_timeout = milliseconds_of(chat_options->turn_timeout_s);
    serve::Conversations conversations(bundled.agent, one_user);
    LineReader reader{std::filesystem::path(chat_options->history)};
    Repl repl(conversations, reader, std::cout);
    add_plugin_commands(repl, bundled.plugins);
    if (!chat_options->without_router) add_router_commands(repl);
    repl.run();
  });
}

}  // namespace requip::cli

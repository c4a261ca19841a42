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
  std::string plugin_folder;
  bool without_router = false;
  double turn_timeout_s = 10;
};

}  // namespace

void add_chat_command(CLI::App& app, const GlobalOptions& options) {
  auto* chat =
      app.add_subcommand("chat", "talk to an agent in a REPL (reads stdin to EOF if piped)");
  auto chat_options = std::make_shared<ChatOptions>();
  chat->add_option("--history", chat_options->history,
                   "history file for interactive sessions ('' keeps none)")
      ->capture_default_str();
  add_shared_option(*chat, SharedOption::plugins, chat_options->plugin_folder);
  add_shared_option(*chat, SharedOption::no_router, chat_options->without_router);
  add_shared_option(*chat, SharedOption::turn_timeout, chat_options->turn_timeout_s);
  chat->callback([chat_options, &options] {
    BundledAgent bundled(options.database(), chat_options->plugin_folder,
                         !chat_options->without_router);
    serve::ConversationOptions one_user;
    one_user.threads = 1;
    one_user.turn_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(chat_options->turn_timeout_s * 1000));
    serve::Conversations conversations(bundled.agent, one_user);
    LineReader reader{std::filesystem::path(chat_options->history)};
    Repl repl(conversations, reader, std::cout);
    add_plugin_commands(repl, bundled.plugins);
    if (!chat_options->without_router) add_router_commands(repl);
    repl.run();
  });
}

}  // namespace requip::cli

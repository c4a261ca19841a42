#include <CLI/CLI.hpp>

#include <iostream>

#include "bundled_agent.hpp"
#include "chat_router.hpp"
#include "commands.hpp"
#include "line_reader.hpp"
#include "options.hpp"
#include "paths.hpp"
#include "plugin_folders.hpp"
#include "repl.hpp"
#include "repl_plugins.hpp"

namespace requip::cli {

void add_chat_command(CLI::App& app, const GlobalOptions& options) {
  auto* chat =
      app.add_subcommand("chat", "talk to an agent in a REPL (reads stdin to EOF if piped)");
  auto history = std::make_shared<std::string>((data_home() / "history").string());
  chat->add_option("--history", *history, "history file for interactive sessions ('' keeps none)")
      ->capture_default_str();
  auto plugin_folder = std::make_shared<std::string>();
  add_plugins_option(*chat, *plugin_folder);
  auto without_router = std::make_shared<bool>(false);
  chat->add_flag("--no-router", *without_router,
                 "let every skill see each input instead of the learned router choosing one");
  auto turn_timeout_s = std::make_shared<double>(10);
  chat->add_option("--turn-timeout", *turn_timeout_s,
                   "seconds a turn may take before it is reported as stuck")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  chat->callback([history, plugin_folder, without_router, turn_timeout_s, &options] {
    BundledAgent bundled(options.database(), *plugin_folder, !*without_router);
    serve::ConversationOptions one_user;
    one_user.threads = 1;
    one_user.turn_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(*turn_timeout_s * 1000));
    serve::Conversations conversations(bundled.agent, one_user);
    LineReader reader{std::filesystem::path(*history)};
    Repl repl(conversations, reader, std::cout);
    add_plugin_commands(repl, bundled.plugins);
    if (!*without_router) add_router_commands(repl);
    repl.run();
  });
}

}  // namespace requip::cli

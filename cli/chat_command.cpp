#include <CLI/CLI.hpp>

#include <iostream>

#include "agent.hpp"
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
  chat->callback([history, plugin_folder, without_router, &options] {
    Agent agent(options.database(), *plugin_folder);
    LineReader reader{std::filesystem::path(*history)};
    Repl repl(agent.brain, reader, std::cout);
    add_plugin_commands(repl, agent.plugins);
    if (!*without_router) add_router(agent.brain, repl, agent.store);
    repl.run();
  });
}

}  // namespace requip::cli

#include <CLI/CLI.hpp>

#include <iostream>

#include "builtin_skills.hpp"
#include "chat_router.hpp"
#include "commands.hpp"
#include "line_reader.hpp"
#include "options.hpp"
#include "paths.hpp"
#include "plugin_folders.hpp"
#include "repl.hpp"
#include "repl_plugins.hpp"
#include "requip/memory/store.hpp"

namespace requip::cli {

void add_chat_command(CLI::App& app, const GlobalOptions& options) {
  auto* chat =
      app.add_subcommand("chat", "talk to an agent in a REPL (reads stdin to EOF if piped)");
  auto history = std::make_shared<std::string>((data_home() / "history").string());
  chat->add_option("--history", *history, "history file for interactive sessions ('' keeps none)")
      ->capture_default_str();
  auto plugin_folder = std::make_shared<std::string>();
  add_plugins_option(*chat, *plugin_folder);
  auto use_router = std::make_shared<bool>(false);
  chat->add_flag("--router", *use_router,
                 "route each input with the learned router (thanks/wrong/lame, please, /why)");
  chat->callback([history, plugin_folder, use_router, &options] {
    // Skills' memory and the router's learning live in the database, so they survive restarts.
    auto store = std::make_shared<memory::Store>(options.database());
    Brain brain(store->memento());
    for (auto& skill : make_builtin_skills())
      brain.add(std::move(skill));
    plugins::PluginHost plugins(brain, plugin_host_options(*plugin_folder, true));
    plugins.rescan();  // refusals are logged on stderr; the chat goes on without them
    LineReader reader{std::filesystem::path(*history)};
    Repl repl(brain, reader, std::cout);
    add_plugin_commands(repl, plugins);
    if (*use_router) add_router(brain, repl, store);
    repl.run();
  });
}

}  // namespace requip::cli

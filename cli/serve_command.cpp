#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "agent.hpp"
#include "chat_router.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "plugin_folders.hpp"
#include "requip/serve/server.hpp"

namespace requip::cli {

namespace {

struct ServeSettings {
  serve::ServerOptions server;
  std::string plugin_folder;
  long idle_expiry_s = 30 * 60;
  bool without_router = false;
};

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& options) {
  auto* serve = app.add_subcommand(
      "serve", "serve the agent over HTTP and WebSocket, with an OpenAI-compatible endpoint");
  auto settings = std::make_shared<ServeSettings>();
  serve->add_option("--host", settings->server.host, "address to listen on")->capture_default_str();
  serve->add_option("--port", settings->server.port, "port to listen on; 0 picks a free one")
      ->capture_default_str();
  serve
      ->add_option("--token", settings->server.token,
                   "require \"Authorization: Bearer TOKEN\" on every request but /healthz")
      ->envname("REQUIP_TOKEN");
  serve
      ->add_option("--idle-expiry", settings->idle_expiry_s,
                   "seconds after which an unused session is forgotten")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--threads", settings->server.threads, "threads serving connections")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  add_plugins_option(*serve, settings->plugin_folder);
  serve->add_flag("--no-router", settings->without_router,
                  "let every skill see each input instead of the learned router choosing one");
  serve->callback([settings, &options] {
    settings->server.idle_expiry = std::chrono::seconds(settings->idle_expiry_s);
    Agent agent(options.database(), settings->plugin_folder);
    serve::Conversations conversations(
        agent.brain, settings->without_router ? nullptr : make_chat_router_model(agent.store));
    conversations.on_turn_boundary([&agent] {
      for (const auto& line : agent.plugins.apply_pending())
        spdlog::warn("{}", line);
    });
    serve::Server server(conversations, settings->server);
    // One line on stdout, so that scripts and tests learn the port --port 0 picked.
    fmt::print("requip serve: listening on http://{}:{}\n", settings->server.host, server.port());
    std::fflush(stdout);
    server.run();
    fmt::print(stderr, "requip serve: stopped; in-flight requests answered\n");
  });
}

}  // namespace requip::cli

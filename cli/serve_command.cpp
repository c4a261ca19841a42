#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "bundled_agent.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "requip/serve/server.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct ServeSettings {
  serve::ServerOptions server;
  serve::ConversationOptions conversations;
  UserPlugins plugins;
  long idle_expiry_s = 30 * 60;
  double turn_timeout_s = 10;
  double follow_up_timeout_s = 60;
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
  add_shared_option(*serve, SharedOption::threads, settings->server.threads);
  add_shared_option(*serve, SharedOption::turn_timeout, settings->turn_timeout_s);
  add_shared_option(*serve, SharedOption::follow_up_timeout, settings->follow_up_timeout_s);
  serve
      ->add_option("--max-conversations", settings->conversations.max_conversations,
                   "conversations held at once; beyond it the least recently used is forgotten")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_user_plugin_options(*serve, settings->plugins);
  add_shared_option(*serve, SharedOption::no_router, settings->without_router);
  serve->callback([settings, &options] {
    settings->server.idle_expiry = std::chrono::seconds(settings->idle_expiry_s);
    settings->conversations.turn_timeout = milliseconds_of(settings->turn_timeout_s);
    BrainOptions brain;
    brain.follow_up_timeout = milliseconds_of(settings->follow_up_timeout_s);
    BundledAgent bundled(options.database(), settings->plugins, !settings->without_router, brain,
                         settings->server.idle_expiry);
    serve::Conversations conversations(bundled.agent, settings->conversations);
    conversations.on_turn_boundary([&bundled] {
      for (const auto& line : bundled.plugins.apply_pending())
        spdlog::warn("{}", line);
    });
    serve::Server server(conversations, settings->server);
    // One line on stdout, so that scripts and tests learn the port --port 0 picked.
    fmt::print("requip serve: listening on http://{}:{}\n", settings->server.host, server.port());
    std::fflush(stdout);
    server.run();
    if (!server.stuck_skills().empty()) {
      // Their threads cannot be stopped from inside the process: leave without waiting.
      fmt::print(stderr, "requip serve: stopped with a turn stuck in skill '{}'\n",
                 fmt::join(server.stuck_skills(), "', '"));
      std::fflush(stderr);
      std::_Exit(3);
    }
    fmt::print(stderr, "requip serve: stopped; in-flight requests answered\n");
  });
}

}  // namespace requip::cli

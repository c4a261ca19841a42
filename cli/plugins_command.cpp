#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "plugin_folders.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

void list(const std::string& folder) {
  Agent agent;
  plugins::PluginHost host(agent, plugin_host_options(folder, false));
  host.rescan();
  fmt::print("{:<12} {:<8} {:<5} {:<11} {}\n", "NAME", "VERSION", "ABI", "STATE", "FILE");
  for (const auto& status : host.status()) {
    if (!status.problem.empty()) {
      fmt::print("{:<12} {:<8} {:<5} {:<11} {}\n", "-", "-", "-", "refused", status.problem);
      continue;
    }
    const auto& info = *status.info;
    fmt::print("{:<12} {:<8} {:<5} {:<11} {}\n", info.name, info.version,
               fmt::format("{}.{}", info.abi_major, info.abi_minor),
               status.quarantined ? "quarantined" : "ok", info.file.string());
  }
  for (const auto& scanned : host.folders())
    fmt::print("scanned {}\n", scanned.string());
}

// Everything a host does with a plugin before serving it: load, check, create, attach,
// detach. Nothing runs inside a live agent.
void check(const std::string& file) {
  try {
    auto plugin = plugins::load_plugin(file);
    Brain scratch;
    scratch.add(plugin.create());
    scratch.remove(plugin.info().name);
    const auto& info = plugin.info();
    fmt::print("ok: {} {} ({} skill, plugin ABI {}.{}, needs requip {} or newer): {}\n", info.name,
               info.version, to_string(info.kind), info.abi_major, info.abi_minor,
               info.min_host_version, info.description);
  } catch (const plugins::PluginError& error) {
    std::cerr << "refused: " << error.what() << '\n';
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void add_plugins_command(CLI::App& app) {
  auto* plugins = app.add_subcommand("plugins", "list or check skill plugins");
  plugins->require_subcommand(1);

  auto* list_command = plugins->add_subcommand(
      "list", "the plugins an agent would load: name, version, ABI, state, file");
  auto folder = std::make_shared<std::string>();
  add_shared_option(*list_command, SharedOption::plugins, *folder);
  list_command->callback([folder] { list(*folder); });

  auto* check_command = plugins->add_subcommand(
      "check", "validate a plugin library without loading it into a running agent");
  auto file = std::make_shared<std::string>();
  check_command->add_option("FILE", *file, "the plugin's .so")->required();
  check_command->callback([file] { check(*file); });
}

}  // namespace requip::cli

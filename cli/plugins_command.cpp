#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "builtin_skills.hpp"
#include "commands.hpp"
#include "plugin_folders.hpp"
#include "requip/core/brain.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "shared_options.hpp"
#include "skill_conflict_warnings.hpp"

namespace requip::cli {

namespace {

void list(const UserPlugins& user) {
  Agent agent;
  plugins::PluginHost host(agent, plugin_host_options(user, false));
  host.rescan();
  constexpr auto row = "{:<12} {:<8} {:<5} {:<10} {:<11} {}\n";
  fmt::print(row, "NAME", "VERSION", "ABI", "ISOLATION", "STATE", "FILE");
  for (const auto& status : host.status()) {
    if (!status.problem.empty()) {
      fmt::print(row, "-", "-", "-", "-", "refused", status.problem);
      continue;
    }
    const auto& info = *status.info;
    fmt::print(row, info.name, info.version, fmt::format("{}.{}", info.abi_major, info.abi_minor),
               to_string(status.isolation), status.quarantined ? "quarantined" : "ok",
               info.file.string());
  }
  for (const auto& scanned : host.folders())
    fmt::print("scanned {} ({})\n", scanned.path.string(), to_string(scanned.isolation));
}

// Everything a host does with a plugin before serving it: load, check, create, attach,
// detach, all in a host process of its own, so that a hostile file cannot crash the check.
// Nothing runs inside a live agent. Returns the plugin if it passed.
std::optional<plugins::LoadedPlugin> check(const std::filesystem::path& file) {
  try {
    auto plugin = plugins::load_plugin(file, plugins::Isolation::process);
    Brain scratch;
    scratch.add(plugin.create());
    scratch.remove(plugin.info().name);
    const auto& info = plugin.info();
    fmt::print("ok: {} {} ({} skill, plugin ABI {}.{}, needs requip {} or newer): {}\n", info.name,
               info.version, to_string(info.kind), info.abi_major, info.abi_minor,
               info.min_host_version, info.description);
    return plugin;
  } catch (const plugins::PluginError& error) {
    std::cerr << "refused: " << error.what() << '\n';
    return std::nullopt;
  }
}

// A folder stands for the libraries in it, in name order.
std::vector<std::filesystem::path> plugin_files(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  for (const std::filesystem::path path : paths) {
    if (!std::filesystem::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::filesystem::path> in_folder;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".so") in_folder.push_back(entry.path());
    }
    if (in_folder.empty()) {
      throw std::runtime_error(fmt::format(
          "folder '{}' holds no plugin library (*.so); pass a plugin's .so or a folder of them",
          path.string()));
    }
    std::sort(in_folder.begin(), in_folder.end());
    files.insert(files.end(), in_folder.begin(), in_folder.end());
  }
  return files;
}

// Checks each plugin, then how the router would route among them, the built-in skills and
// the bundled plugins, which they join in every agent; only what involves the plugins
// checked is reported (the REPL's /skills shows the rest). A refused plugin fails the check;
// skills the router confuses are warned of and do not, since the agent still runs.
void check_all(const std::vector<std::string>& paths) {
  Agent agent;
  for (auto& skill : make_builtin_skills())
    agent.add(std::move(skill));
  plugins::PluginHostOptions bundled{{}, false};
  if (auto folder = bundled_plugin_folder()) bundled.folders.emplace_back(*folder);
  plugins::PluginHost host(agent, bundled);
  host.rescan();
  bool refused = false;
  std::set<std::string> checked;
  for (const auto& file : plugin_files(paths)) {
    if (auto plugin = check(file)) {
      checked.insert(plugin->info().name);
      agent.add(plugin->factory({}));  // replaces a bundled plugin of the same name
    } else {
      refused = true;
    }
  }
  if (!checked.empty()) {
    const auto report = check_chat_skill_conflicts(routed_profiles(agent.catalog()->skills));
    print_skill_conflicts(std::cout, involving(report, checked));
  }
  if (refused) throw CLI::RuntimeError(1);
}

}  // namespace

void add_plugins_command(CLI::App& app) {
  auto* plugins = app.add_subcommand("plugins", "list or check skill plugins");
  plugins->require_subcommand(1);

  auto* list_command = plugins->add_subcommand(
      "list", "the plugins an agent would load: name, version, ABI, state, file");
  auto user = std::make_shared<UserPlugins>();
  add_user_plugin_options(*list_command, *user);
  list_command->callback([user] { list(*user); });

  auto* check_command = plugins->add_subcommand(
      "check",
      "validate plugin libraries without loading them into a running agent, and warn of skills "
      "whose examples the router confuses");
  auto paths = std::make_shared<std::vector<std::string>>();
  check_command->add_option("PATH", *paths, "a plugin's .so, or a folder of them")->required();
  check_command->callback([paths] { check_all(*paths); });
}

}  // namespace requip::cli

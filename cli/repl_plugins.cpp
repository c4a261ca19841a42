#include "repl_plugins.hpp"

#include <fmt/ostream.h>

#include <ostream>

namespace requip::cli {

namespace {

void print_report(std::ostream& out, const std::vector<std::string>& report) {
  for (const auto& line : report)
    fmt::print(out, "! {}\n", line);
}

}  // namespace

void add_plugin_commands(Repl& repl, plugins::PluginHost& host) {
  repl.on_turn_boundary([&host](std::ostream& out) { print_report(out, host.apply_pending()); });
  repl.add_command({"/reload", "rescan the plugin folders and reload every plugin",
                    [&host](const std::string&, std::ostream& out) {
                      print_report(out, host.rescan());
                      fmt::print(out, "plugins rescanned\n");
                    }});
  repl.add_command({"/plugins", "the plugins loaded, refused or quarantined",
                    [&host](const std::string&, std::ostream& out) {
                      for (const auto& status : host.status()) {
                        if (!status.info) {
                          fmt::print(out, "  refused  {}\n", status.problem);
                          continue;
                        }
                        fmt::print(out, "  {:<11} {:<12} {:<8} {:<10} {}\n",
                                   status.quarantined ? "quarantined" : "ok", status.info->name,
                                   status.info->version, to_string(status.isolation),
                                   status.file.string());
                      }
                    }});
}

}  // namespace requip::cli

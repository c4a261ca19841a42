// The MoE language model's commands live in requip-moe (moe/tools/), the one program that
// loads LibTorch, whose libraries alone take most of a second and 160 MB to load. requip
// hands these commands to it, so that `requip train` works as it reads while chat and serve
// start without LibTorch.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"

namespace requip::cli {

namespace {

// Replaces this process with requip-moe run with `arguments`.
[[noreturn]] void run_moe_tools(const std::vector<std::string>& arguments) {
  std::error_code error;
  const auto self = std::filesystem::canonical("/proc/self/exe", error);
  const auto tools = self.parent_path() / "requip-moe";
  // Named as the user ran it, so that its usage lines and errors say `requip train`.
  std::vector<std::string> argv{"requip"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::vector<char*> pointers;
  for (auto& argument : argv)
    pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  execv(tools.c_str(), pointers.data());
  throw std::runtime_error(
      fmt::format("cannot run {} ({}); it is built and installed beside requip and holds the "
                  "language model's commands",
                  tools.string(), std::strerror(errno)));
}

// A subcommand whose every argument, --help included, goes to requip-moe.
void hand_over(CLI::App& parent, const std::string& name, const std::string& description,
               std::vector<std::string> path) {
  auto* command = parent.add_subcommand(name, description);
  command->prefix_command();
  command->allow_extras();
  command->fallthrough(false);
  command->set_help_flag();
  command->callback([command, path] {
    auto arguments = path;
    for (auto& argument : command->remaining())
      arguments.push_back(argument);
    run_moe_tools(arguments);
  });
}

}  // namespace

void add_moe_tool_commands(CLI::App& app, CLI::App& bench) {
  hand_over(app, "train", "train the tinymoe character language model", {"train"});
  hand_over(app, "sample", "generate text from a trained tinymoe checkpoint", {"sample"});
  hand_over(app, "moe", "look inside the sparse mixture-of-experts layer", {"moe"});
  hand_over(bench, "moe", "sparse MoE layer tokens/s against the naive loop and a dense FFN",
            {"bench", "moe"});
  hand_over(bench, "lm", "tinymoe training step and generation at the seed's config",
            {"bench", "lm"});
  hand_over(bench, "distributed", "training throughput of 2 ranks against 1 process",
            {"bench", "distributed"});
}

}  // namespace requip::cli

// requip-plugin-host: runs one skill plugin for an agent in a process of its own, so that a
// crash, a hang or a runaway allocation in it costs the agent one turn (host_protocol.hpp).
//
//   requip-plugin-host --channels N --memory-limit BYTES -- PLUGIN.so
//
// The agent starts it; it is not meant to be run by hand.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <thread>
#include <vector>

#include "host_protocol.hpp"
#include "hosted_plugin.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace {

struct Arguments {
  unsigned channels = 0;
  std::uint64_t memory_limit = 0;
  const char* plugin = nullptr;
};

template <typename Number>
bool parse(const char* text, Number& into) {
  const std::string_view view(text);
  return std::from_chars(view.data(), view.data() + view.size(), into).ec == std::errc();
}

bool parse_arguments(int argc, char** argv, Arguments& arguments) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--" && i + 2 == argc) {
      arguments.plugin = argv[i + 1];
      return arguments.channels > 0;
    }
    if (i + 1 == argc) return false;
    if (flag == "--channels" && !parse(argv[++i], arguments.channels)) return false;
    if (flag == "--memory-limit" && !parse(argv[++i], arguments.memory_limit)) return false;
  }
  return false;
}

// An allocation past the limit: say so and end, with the status the agent reports as such.
void out_of_memory() {
  const char message[] = "out of memory at the host's limit\n";
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
  std::_Exit(requip::plugins::protocol::exit_out_of_memory);
}

// Before any plugin code runs: no core files, no privileges gained through exec, and a cap
// on the address space (not under the sanitizers, which reserve terabytes of it up front).
void confine(std::uint64_t memory_limit) {
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
#ifndef REQUIP_SANITIZE
  if (memory_limit > 0) {
    const rlimit address_space{memory_limit, memory_limit};
    ::setrlimit(RLIMIT_AS, &address_space);
  }
#else
  (void)memory_limit;
  // The sanitizers catch a crash to report it and exit 1: the host ends by the signal
  // instead, so that the agent names what the plugin did in every build.
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL})
    std::signal(signal, SIG_DFL);
#endif
  std::set_new_handler(out_of_memory);
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments;
  if (!parse_arguments(argc, argv, arguments)) {
    const char usage[] =
        "usage: requip-plugin-host --channels N --memory-limit BYTES -- PLUGIN.so (started by "
        "requip, not by hand)\n";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, usage, sizeof usage - 1);
    return 2;
  }
  confine(arguments.memory_limit);

  std::optional<requip::plugins::LoadedPlugin> plugin;
  std::string problem;
  try {
    plugin = requip::plugins::load_plugin(arguments.plugin);
  } catch (const requip::plugins::PluginError& error) {
    problem = error.reason();
  }
  requip::plugins::host::HostedPlugin hosted(std::move(plugin), std::move(problem));

  // Any channel closing means the agent is done with this host, or gone: end at once, even
  // with a hook still running on another channel.
  std::vector<std::thread> channels;
  for (unsigned i = 1; i < arguments.channels; ++i) {
    channels.emplace_back([&hosted, i] {
      hosted.serve(requip::plugins::protocol::first_channel_fd + static_cast<int>(i));
      std::_Exit(0);
    });
  }
  hosted.serve(requip::plugins::protocol::first_channel_fd);
  std::_Exit(0);
}

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "bench.hpp"
#include "plugin_folders.hpp"
#include "requip/core/brain.hpp"
#include "scratch_folder.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct PluginsBenchOptions {
  bool json = false;
  int reloads = 30;
  int turns = 3000;
  int restarts = 10;
};

struct ReloadFigures {
  std::vector<double> reload_ms;  // from the rename into the folder to the swap being applied
  double turn_max_ms_during_reload = 0;
  double swap_turn_max_ms = 0;  // the turns that applied a swap: the cost the host adds
  double turn_max_ms_baseline = 0;
  std::size_t turns_during_reload = 0;
  std::size_t turns_unanswered = 0;
};

// One turn as the REPL runs it: apply what the watcher prepared, then think.
struct TimedTurn {
  double ms;
  bool swapped;
  bool answered;
};

TimedTurn timed_turn(plugins::PluginHost& host, Brain& brain) {
  const auto start = Clock::now();
  const bool swapped = !host.apply_pending().empty();
  const bool answered = brain.converse("say hi").answered();
  return {ms_between(start, Clock::now()), swapped, answered};
}

// An agent serving one copy of `library`, run as `isolation` says, and one conversation.
struct OnePlugin {
  OnePlugin(const std::filesystem::path& library, plugins::Isolation isolation)
      : installed(folder.path() / library.filename()),
        agent(std::make_shared<Agent>()),
        host((std::filesystem::copy_file(library, installed), *agent),
             {{{folder.path(), isolation}}}),
        brain(agent, std::string(Brain::local_user)) {
    host.rescan();
    if (!brain.has("parrot")) {
      throw std::runtime_error("the bundled parrot plugin did not load from " + library.string());
    }
  }
  ScratchFolder folder;
  std::filesystem::path installed;
  std::shared_ptr<Agent> agent;
  plugins::PluginHost host;
  Brain brain;
};

ReloadFigures measure_reloads(const std::filesystem::path& library, plugins::Isolation isolation,
                              int reloads) {
  OnePlugin one(library, isolation);
  const auto staging = one.folder.path() / (library.filename().string() + ".partial");
  ReloadFigures figures;
  for (int reload = 0; reload < reloads; ++reload) {
    std::filesystem::copy_file(library, staging, std::filesystem::copy_options::overwrite_existing);
    const auto renamed = Clock::now();
    std::filesystem::rename(staging, one.installed);  // the atomic install
    while (true) {
      const TimedTurn turn = timed_turn(one.host, one.brain);
      ++figures.turns_during_reload;
      figures.turns_unanswered += turn.answered ? 0 : 1;
      figures.turn_max_ms_during_reload = std::max(figures.turn_max_ms_during_reload, turn.ms);
      if (turn.swapped) {
        figures.swap_turn_max_ms = std::max(figures.swap_turn_max_ms, turn.ms);
        figures.reload_ms.push_back(ms_between(renamed, Clock::now()));
        break;
      }
      if (Clock::now() - renamed > std::chrono::seconds(5)) {
        throw std::runtime_error("a reload took more than 5 s; is inotify working here?");
      }
    }
  }
  // Baseline: as many turns again, same host and brain, nothing reloading.
  for (std::size_t turn = 0; turn < figures.turns_during_reload; ++turn) {
    const TimedTurn timed = timed_turn(one.host, one.brain);
    figures.turns_unanswered += timed.answered ? 0 : 1;
    figures.turn_max_ms_baseline = std::max(figures.turn_max_ms_baseline, timed.ms);
  }
  return figures;
}

// Trivial turns ("say hi" to the parrot) in both modes, interleaved in blocks so that the
// machine's drift falls on both alike. Microseconds per turn, by mode.
std::pair<std::vector<double>, std::vector<double>> measure_turns(
    const std::filesystem::path& library, int turns) {
  OnePlugin in_process(library, plugins::Isolation::in_process);
  OnePlugin out_of_process(library, plugins::Isolation::process);
  std::vector<double> in_us, out_us;
  constexpr int block = 100;
  auto time_block = [](Brain& brain, std::vector<double>& into, bool kept) {
    for (int turn = 0; turn < block; ++turn) {
      const auto start = Clock::now();
      if (!brain.converse("say hi").answered()) {
        throw std::runtime_error("the parrot did not answer during the benchmark");
      }
      if (kept) into.push_back(ms_between(start, Clock::now()) * 1000);
    }
  };
  for (int done = -block; done < turns; done += block) {  // the first block warms up
    time_block(in_process.brain, in_us, done >= 0);
    time_block(out_of_process.brain, out_us, done >= 0);
  }
  return {in_us, out_us};
}

// The plugin hosts this process started (their name, as /proc shows it, is cut to 15 bytes).
std::vector<pid_t> plugin_hosts() {
  std::vector<pid_t> hosts;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto name_end = line.rfind(')');
    if (name_end == std::string::npos || line.find("(requip-plugin-h") == std::string::npos) {
      continue;
    }
    std::istringstream rest(line.substr(name_end + 2));
    char state = 0;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent == ::getpid()) hosts.push_back(std::stoi(line));
  }
  return hosts;
}

// A host killed from outside (as the kernel's OOM killer would): the turn that meets it
// fails, and the next is timed: it starts a host, makes the instance again and answers.
std::vector<double> measure_restarts(const std::filesystem::path& library, int restarts) {
  std::vector<double> restart_ms;
  for (int round = 0; round < restarts; ++round) {
    OnePlugin one(library, plugins::Isolation::process);  // new: a plugin ended 3 times rests
    one.brain.converse("say hi");
    for (pid_t host : plugin_hosts())
      ::kill(host, SIGKILL);
    one.brain.converse("say hi");  // finds its host gone
    const auto start = Clock::now();
    if (!one.brain.converse("say hi").answered()) {
      throw std::runtime_error("the parrot did not answer after its host was restarted");
    }
    restart_ms.push_back(ms_between(start, Clock::now()));
  }
  return restart_ms;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

}  // namespace

void add_bench_plugins(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "plugins",
      "the bundled parrot plugin in process and out of process: turn latency, live reload "
      "latency, and how soon a killed plugin host serves again");
  auto options = std::make_shared<PluginsBenchOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--reloads", options->reloads, "reloads to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--turns", options->turns, "trivial turns to time in each mode")
      ->check(CLI::Range(100, 1000000))
      ->capture_default_str();
  command->add_option("--restarts", options->restarts, "plugin hosts to kill and time restarting")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([options] {
    const auto folder = bundled_plugin_folder();
    if (!folder) throw std::runtime_error("the bundled plugins are missing; build the plugins");
    const auto library = *folder / "parrot.so";
    const auto [in_us, out_us] = measure_turns(library, options->turns);
    const ReloadFigures in_reload =
        measure_reloads(library, plugins::Isolation::in_process, options->reloads);
    const ReloadFigures out_reload =
        measure_reloads(library, plugins::Isolation::process, options->reloads);
    const std::vector<double> restart_ms = measure_restarts(library, options->restarts);
    const std::size_t unanswered = in_reload.turns_unanswered + out_reload.turns_unanswered;
    if (unanswered > 0) {
      throw std::runtime_error(
          fmt::format("{} turns went unanswered during the benchmark", unanswered));
    }
    const double in_p50 = percentile(in_us, 0.5), in_p99 = percentile(in_us, 0.99);
    const double out_p50 = percentile(out_us, 0.5), out_p99 = percentile(out_us, 0.99);
    const double restart_max = percentile(restart_ms, 1.0);
    if (options->json) {
      fmt::print(
          "{}\n",
          nlohmann::json{{"inproc_turn_p50_us", in_p50},
                         {"inproc_turn_p99_us", in_p99},
                         {"oop_turn_p50_us", out_p50},
                         {"oop_turn_p99_us", out_p99},
                         {"reload_p50_ms", percentile(in_reload.reload_ms, 0.5)},
                         {"reload_max_ms", percentile(in_reload.reload_ms, 1.0)},
                         {"oop_reload_p50_ms", percentile(out_reload.reload_ms, 0.5)},
                         {"oop_reload_max_ms", percentile(out_reload.reload_ms, 1.0)},
                         {"turn_max_ms_during_reload", in_reload.turn_max_ms_during_reload},
                         {"oop_turn_max_ms_during_reload", out_reload.turn_max_ms_during_reload},
                         {"turn_max_ms_baseline", in_reload.turn_max_ms_baseline},
                         {"oop_restart_max_ms", restart_max}}
              .dump());
      return;
    }
    fmt::print("plugins: the bundled parrot, in process and out of process (requip-plugin-host)\n");
    fmt::print("  turn p50 / p99, in process      {:>8.1f} / {:>8.1f} us  ({} turns each)\n",
               in_p50, in_p99, in_us.size());
    fmt::print("  turn p50 / p99, out of process  {:>8.1f} / {:>8.1f} us  (+{:.1f} / +{:.1f} us)\n",
               out_p50, out_p99, out_p50 - in_p50, out_p99 - in_p99);
    for (const auto* mode : {&in_reload, &out_reload}) {
      fmt::print(
          "  reload p50 / max, {:<13} {:>8.2f} / {:>8.2f} ms  (rename -> swapped in; {} "
          "reloads, no turn lost)\n",
          mode == &in_reload ? "in process" : "out of process", percentile(mode->reload_ms, 0.5),
          percentile(mode->reload_ms, 1.0), mode->reload_ms.size());
      fmt::print(
          "    turn max while reloading {:>8.3f} ms, baseline {:.3f} ms, swap turn max {:.3f} ms\n",
          mode->turn_max_ms_during_reload, mode->turn_max_ms_baseline, mode->swap_turn_max_ms);
    }
    fmt::print("  serving again after a host is killed: p50 {:.2f} ms, max {:.2f} ms ({} kills)\n",
               percentile(restart_ms, 0.5), restart_max, restart_ms.size());
  });
}
}  // namespace requip::cli

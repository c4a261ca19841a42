#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
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

ReloadFigures measure(const std::filesystem::path& library, int reloads) {
  ScratchFolder folder;
  const auto installed = folder.path() / library.filename();
  const auto staging = folder.path() / (library.filename().string() + ".partial");
  std::filesystem::copy_file(library, installed);
  auto agent = std::make_shared<Agent>();
  plugins::PluginHost host(*agent, {{folder.path()}});
  Brain brain(agent, std::string(Brain::local_user));
  if (!host.rescan().empty() && !brain.has("parrot")) {
    throw std::runtime_error("the bundled parrot plugin did not load from " + library.string());
  }

  ReloadFigures figures;
  for (int reload = 0; reload < reloads; ++reload) {
    std::filesystem::copy_file(library, staging, std::filesystem::copy_options::overwrite_existing);
    const auto renamed = Clock::now();
    std::filesystem::rename(staging, installed);  // the atomic install
    while (true) {
      const TimedTurn turn = timed_turn(host, brain);
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
    const TimedTurn timed = timed_turn(host, brain);
    figures.turns_unanswered += timed.answered ? 0 : 1;
    figures.turn_max_ms_baseline = std::max(figures.turn_max_ms_baseline, timed.ms);
  }
  return figures;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

}  // namespace

void add_bench_plugins(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "plugins", "live reload of the bundled parrot plugin: reload latency, turn latency");
  auto options = std::make_shared<PluginsBenchOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--reloads", options->reloads, "reloads to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([options] {
    const auto folder = bundled_plugin_folder();
    if (!folder) throw std::runtime_error("the bundled plugins are missing; build the plugins");
    const ReloadFigures figures = measure(*folder / "parrot.so", options->reloads);
    if (figures.turns_unanswered > 0) {
      throw std::runtime_error(
          fmt::format("{} turns went unanswered during the benchmark", figures.turns_unanswered));
    }
    const double p50 = percentile(figures.reload_ms, 0.5);
    const double max = percentile(figures.reload_ms, 1.0);
    if (options->json) {
      fmt::print("{}\n",
                 nlohmann::json{{"reload_p50_ms", p50},
                                {"reload_max_ms", max},
                                {"turn_max_ms_during_reload", figures.turn_max_ms_during_reload},
                                {"turn_max_ms_baseline", figures.turn_max_ms_baseline}}
                     .dump());
      return;
    }
    fmt::print("plugins: {} live reloads of parrot.so (install by rename), turns in a loop\n",
               options->reloads);
    fmt::print("  reload p50           {:>9.2f} ms  (rename -> swapped in at a turn boundary)\n",
               p50);
    fmt::print("  reload max           {:>9.2f} ms\n", max);
    fmt::print("  turn max, reloading  {:>9.3f} ms  ({} turns, none lost)\n",
               figures.turn_max_ms_during_reload, figures.turns_during_reload);
    fmt::print("  turn max, baseline   {:>9.3f} ms  (same turns, no reload, same run; {:.1f}x)\n",
               figures.turn_max_ms_baseline,
               figures.turn_max_ms_during_reload / figures.turn_max_ms_baseline);
    fmt::print("  swap turn max        {:>9.3f} ms  (the turns that applied a swap)\n",
               figures.swap_turn_max_ms);
  });
}

}  // namespace requip::cli

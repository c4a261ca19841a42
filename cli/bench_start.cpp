#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench.hpp"
#include "plugin_folders.hpp"
#include "shared_options.hpp"

extern char** environ;

namespace requip::cli {

namespace {

namespace fs = std::filesystem;

// What a start costs: from the program's launch to its first reply, and its peak memory.
struct StartFigures {
  double first_reply_s = 0;
  double peak_rss_mb = 0;
};

struct Start {
  std::vector<std::string> argv;
  std::string input;                                 // what the user types
  std::string data_home;                             // XDG_DATA_HOME of the run
  std::function<bool(const std::string&)> is_reply;  // which output line answers
};

// Runs the program to its end; the clock stops at the first line of output that is a reply.
StartFigures run(const Start& start) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0)
    throw std::runtime_error(fmt::format("bench start: no pipe: {}", std::strerror(errno)));
  std::vector<std::string> environment{"XDG_DATA_HOME=" + start.data_home};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "XDG_DATA_HOME=", 14) != 0) environment.emplace_back(*entry);
  }
  std::vector<char*> argv, envp;
  for (const auto& arg : start.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : environment)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  const auto launched = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("bench start: cannot fork");
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1], null})
      close(fd);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  if (write(to_child[1], start.input.data(), start.input.size()) < 0) {
    // A program that exits before reading its input is reported by its status below.
  }
  close(to_child[1]);

  StartFigures figures;
  std::string pending;
  char buffer[4096];
  for (ssize_t got; (got = read(from_child[0], buffer, sizeof buffer)) > 0;) {
    pending.append(buffer, static_cast<std::size_t>(got));
    for (std::size_t end;
         figures.first_reply_s == 0 && (end = pending.find('\n')) != std::string::npos;) {
      if (start.is_reply(pending.substr(0, end))) {
        figures.first_reply_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - launched).count();
      }
      pending.erase(0, end + 1);
    }
  }
  close(from_child[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || figures.first_reply_s == 0) {
    throw std::runtime_error(fmt::format("bench start: `{}` gave no reply (exit status {})",
                                         fmt::join(start.argv, " "), status));
  }
  figures.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  return figures;
}

// The median of each figure over the runs, each in a data folder made by `prepare`.
StartFigures median_of(int runs, const std::function<Start(int)>& prepare) {
  std::vector<double> times, memories;
  for (int i = 0; i < runs; ++i) {
    const auto figures = run(prepare(i));
    times.push_back(figures.first_reply_s);
    memories.push_back(figures.peak_rss_mb);
  }
  std::sort(times.begin(), times.end());
  std::sort(memories.begin(), memories.end());
  return {times[times.size() / 2], memories[memories.size() / 2]};
}

struct Scenario {
  std::string name;
  StartFigures figures;
  double rss_target_mb;
  double reply_target_s;  // 0: none
};

}  // namespace

void add_bench_start(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "start", "peak memory and time to the first reply of `requip chat` and an embedded bot");
  struct Options {
    bool json = false;
    int runs = 3;
    std::string bot;
  };
  auto options = std::make_shared<Options>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--runs", options->runs, "runs of each start; the median is reported")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--bot", options->bot,
                      "the examples/embedded_bot program (default: beside this binary)");
  command->callback([options] {
    const fs::path self = fs::canonical("/proc/self/exe");
    const fs::path bot =
        options->bot.empty() ? self.parent_path() / "embedded_bot" : fs::path(options->bot);
    const auto plugins = bundled_plugin_folder();
    if (!plugins) throw std::runtime_error("bench start: the bundled plugins were not found");
    if (!fs::exists(bot)) {
      throw std::runtime_error(fmt::format(
          "bench start: no embedded bot at {}; build the embedded_bot target or pass --bot",
          bot.string()));
    }
    const fs::path scratch =
        fs::temp_directory_path() / fmt::format("requip-bench-start-{}", getpid());
    fs::create_directories(scratch);
    const auto fresh = [&](const std::string& name) {
      const fs::path folder = scratch / name;
      fs::remove_all(folder);
      fs::create_directories(folder);
      return folder;
    };
    const auto any_line = [](const std::string&) { return true; };
    const auto bot_reply = [](const std::string& line) { return line.rfind("> ", 0) != 0; };
    const auto chat = [&](const fs::path& home) {
      return Start{{self.string(), "chat"}, "what is 12 plus 30\n", home.string(), any_line};
    };
    const auto embedded = [&](const fs::path& home) {
      return Start{{bot.string(), plugins->string(), (home / "bot.db").string()},
                   "",
                   home.string(),
                   bot_reply};
    };
    const int runs = options->runs;
    std::vector<Scenario> scenarios;
    // The floor every run of this program stands on: loading it and its libraries.
    scenarios.push_back(
        {"requip --version",
         median_of(
             runs,
             [&](int) {
               return Start{{self.string(), "--version"}, "", fresh("version").string(), any_line};
             }),
         0, 0});
    scenarios.push_back({"embedded bot, new database",
                         median_of(runs, [&](int) { return embedded(fresh("bot-new")); }), 96,
                         1.0});
    const fs::path trained_bot = fresh("bot-trained");
    run(embedded(trained_bot));
    scenarios.push_back({"embedded bot, trained database",
                         median_of(runs, [&](int) { return embedded(trained_bot); }), 96, 0.3});
    scenarios.push_back({"chat, new database",
                         median_of(runs, [&](int) { return chat(fresh("chat-new")); }), 160, 0});
    const fs::path trained_chat = fresh("chat-trained");
    run(chat(trained_chat));
    scenarios.push_back({"chat, trained database",
                         median_of(runs, [&](int) { return chat(trained_chat); }), 160, 1.0});
    fs::remove_all(scratch);

    if (options->json) {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& scenario : scenarios) {
        out[scenario.name] = {{"first_reply_s", scenario.figures.first_reply_s},
                              {"peak_rss_mb", scenario.figures.peak_rss_mb}};
      }
      fmt::print("{}\n", out.dump());
      return;
    }
    fmt::print("start: median of {} runs; each program answers one line\n", runs);
    fmt::print("  {:<32} {:>12} {:>14}   targets\n", "", "first reply", "peak RSS");
    for (const auto& scenario : scenarios) {
      std::string targets;
      if (scenario.rss_target_mb > 0)
        targets += fmt::format("<= {:.0f} MB", scenario.rss_target_mb);
      if (scenario.reply_target_s > 0)
        targets += fmt::format(", <= {:.0f} ms", scenario.reply_target_s * 1e3);
      fmt::print("  {:<32} {:>9.0f} ms {:>11.1f} MB   {}\n", scenario.name,
                 scenario.figures.first_reply_s * 1e3, scenario.figures.peak_rss_mb, targets);
    }
  });
}

}  // namespace requip::cli

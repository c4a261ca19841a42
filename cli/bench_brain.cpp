#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "requip/core/brain.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

constexpr int skill_count = 20;

// Answers only the word it owns, like a real skill that mostly stays silent.
class KeywordSkill final : public Skill {
 public:
  explicit KeywordSkill(int index) : name_(fmt::format("skill{}", index)) {}
  std::string name() const override { return name_; }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    if (stimulus.ear != name_) return std::nullopt;
    return Algorithm::say("ok");
  }

 private:
  std::string name_;
};

struct BrainFigures {
  double turns_per_s;
  double overhead_us;  // per turn, beyond what the skills themselves cost
  double skills_only_us;
};

struct BrainBenchOptions {
  bool json = false;
  int turns = 500'000;
};

BrainFigures measure(int turns) {
  std::vector<std::string> inputs;
  for (int i = 0; i < skill_count; ++i)
    inputs.push_back(fmt::format("skill{}", i));

  std::vector<std::shared_ptr<KeywordSkill>> skills;
  Brain brain;
  for (int i = 0; i < skill_count; ++i) {
    skills.push_back(std::make_shared<KeywordSkill>(i));
    brain.add(skills.back());
  }

  // Baseline: the same skills called directly, and their answers run, with no brain.
  std::size_t sink = 0;
  const double skills_only = seconds_in([&] {
    for (int turn = 0; turn < turns; ++turn) {
      const Stimulus stimulus{inputs[static_cast<std::size_t>(turn % skill_count)], {}, {}};
      for (auto& skill : skills) {
        if (auto algorithm = skill->input(stimulus)) sink += algorithm->advance().line->size();
      }
    }
  });
  const double with_brain = seconds_in([&] {
    for (int turn = 0; turn < turns; ++turn) {
      sink += brain.converse(inputs[static_cast<std::size_t>(turn % skill_count)]).lines.size();
    }
  });
  if (sink == 0) throw std::runtime_error("benchmark skills never answered");
  return {turns / with_brain, (with_brain - skills_only) / turns * 1e6, skills_only / turns * 1e6};
}

}  // namespace

void add_bench_brain(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "brain",
      fmt::format("turns per second through converse() with {} skills attached", skill_count));
  auto options = std::make_shared<BrainBenchOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_option("--turns", options->turns, "turns to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([options] {
    measure(options->turns / 10);  // warm-up: allocator, caches, branch predictors
    const BrainFigures figures = measure(options->turns);
    if (options->json) {
      fmt::print("{}\n", nlohmann::json{{"turns_per_s", figures.turns_per_s},
                                        {"overhead_us", figures.overhead_us}}
                             .dump());
      return;
    }
    fmt::print("brain: {} skills, {} turns, one thread\n", skill_count, options->turns);
    fmt::print("  turns/s            {:>12.0f}\n", figures.turns_per_s);
    fmt::print("  per turn           {:>12.3f} us\n", 1e6 / figures.turns_per_s);
    fmt::print("  skills alone       {:>12.3f} us  (same skills called directly, same run)\n",
               figures.skills_only_us);
    fmt::print("  brain overhead     {:>12.3f} us  ({:.1f}x the skills' own cost)\n",
               figures.overhead_us, figures.overhead_us / figures.skills_only_us);
  });
}

}  // namespace requip::cli

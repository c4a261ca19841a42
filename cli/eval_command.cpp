#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "requip/router/evaluation.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct RouterEvalOptions {
  std::string train;
  std::string test;
  bool json = false;
  bool online = false;
  std::uint64_t seed = 1;
  router::GateConfig gate;
};

void run_router_eval(const RouterEvalOptions& options) {
  const auto train = router::load_labeled_tsv(options.train);
  const auto test = router::load_labeled_tsv(options.test);
  // Progress goes to stderr so that --json output stays one clean object.
  const auto progress = [](const std::string& line) { fmt::print(stderr, "  {}\n", line); };
  if (options.online) {
    const auto result = router::evaluate_online(train, test, options.gate, options.seed, progress);
    if (options.json) {
      fmt::print("{}\n", nlohmann::json{{"online_first_try_accuracy", result.first_try_accuracy},
                                        {"online_mean_tries", result.mean_tries},
                                        {"accuracy", result.after.accuracy},
                                        {"macro_f1", result.after.macro_f1},
                                        {"online_s", result.after.train_s}}
                             .dump());
      return;
    }
    fmt::print("router online, cold start, {} utterances once, seed {}\n", train.rows.size(),
               options.seed);
    fmt::print("  first-try accuracy  {:.4f}\n", result.first_try_accuracy);
    fmt::print("  mean tries          {:.3f}\n", result.mean_tries);
    fmt::print("  test accuracy       {:.4f}\n", result.after.accuracy);
    fmt::print("  test macro-F1       {:.4f}\n", result.after.macro_f1);
    fmt::print("  stream time         {:.2f} s\n", result.after.train_s);
    return;
  }
  const auto result = router::evaluate(train, test, options.gate, progress);
  if (options.json) {
    fmt::print("{}\n", nlohmann::json{{"accuracy", result.accuracy},
                                      {"macro_f1", result.macro_f1},
                                      {"train_s", result.train_s},
                                      {"route_p50_us", result.route_p50_us},
                                      {"route_p99_us", result.route_p99_us}}
                           .dump());
    return;
  }
  fmt::print("router: {} skills, {} training rows, {} test rows\n", train.labels().size(),
             train.rows.size(), test.rows.size());
  fmt::print("  accuracy        {:.4f}   (TF-IDF word+char + LinearSVC: 0.882 on this split)\n",
             result.accuracy);
  fmt::print("  macro-F1        {:.4f}\n", result.macro_f1);
  fmt::print("  train           {:.2f} s\n", result.train_s);
  fmt::print("  route p50       {:.2f} us\n", result.route_p50_us);
  fmt::print("  route p99       {:.2f} us\n", result.route_p99_us);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto* eval = app.add_subcommand("eval", "measure quality on held-out data");
  eval->require_subcommand(1);
  auto options = std::make_shared<RouterEvalOptions>();
  auto* command = eval->add_subcommand(
      "router", "train the router on a text<TAB>label TSV, score it on another");
  command->add_option("--train", options->train, "training TSV (header row, text<TAB>label)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--test", options->test, "test TSV, same format")
      ->required()
      ->check(CLI::ExistingFile);
  add_shared_option(*command, SharedOption::json, options->json);
  command->add_flag("--online", options->online,
                    "simulate the feedback loop from a cold start with no examples");
  add_shared_option(*command, SharedOption::seed, options->seed);
  command->add_option("--dim", options->gate.dim, "embedding width")->capture_default_str();
  command
      ->add_option("--gate-seed", options->gate.seed,
                   "seed of the gate's initial weights, shuffling and dropout")
      ->capture_default_str();
  command->add_option("--members", options->gate.members, "ensemble members")
      ->capture_default_str();
  command->add_option("--epochs", options->gate.epochs, "training epochs")->capture_default_str();
  command->add_option("--learning-rate", options->gate.learning_rate, "Adagrad learning rate")
      ->capture_default_str();
  command->add_option("--batch-size", options->gate.batch_size, "training batch size")
      ->capture_default_str();
  command->add_option("--dropout", options->gate.dropout, "dropout while training")
      ->capture_default_str();
  command->callback([options] { run_router_eval(*options); });
}

}  // namespace requip::cli

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "requip/router/evaluation.hpp"
#include "router_report.hpp"
#include "shared_options.hpp"
#include "word_vectors_file.hpp"

namespace requip::cli {

namespace {

struct RouterEvalOptions {
  std::string train;
  std::string test;
  std::string out_of_scope;
  std::size_t leave_out = 0;
  std::string report;
  bool json = false;
  bool online = false;
  std::uint64_t seed = 1;
  std::string word_vectors;  // empty: the vendored ones
  router::GateConfig gate;
};

void run_online_eval(const RouterEvalOptions& options, const router::EvaluationProgress& progress) {
  const auto train = router::load_labeled_tsv(options.train);
  const auto test = router::load_labeled_tsv(options.test);
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
}

router::EvaluationSplit load_split(const RouterEvalOptions& options) {
  router::EvaluationSplit split{
      router::load_labeled_tsv(options.train), router::load_labeled_tsv(options.test), {}};
  if (!options.out_of_scope.empty())
    split.out_of_scope = router::load_labeled_tsv(options.out_of_scope).rows;
  if (options.leave_out == 0) return split;
  const std::size_t labels = split.train.labels().size();
  if (options.leave_out >= labels) {
    throw std::runtime_error(fmt::format(
        "--leave-out-intents {}: {} has only {} labels and at least one must stay; pass at most "
        "{}",
        options.leave_out, options.train, labels, labels - 1));
  }
  return router::hold_out_labels(std::move(split), options.leave_out, options.seed);
}

void print_out_of_scope(const router::OutOfScopeResult& figures, std::size_t rows) {
  const auto& at = figures.at_default;
  fmt::print(
      "  out of scope    {} rows; at threshold {:.2f}: in-scope accuracy {:.4f}, "
      "OOS recall {:.4f}\n",
      rows, at.threshold, at.in_scope_accuracy, at.oos_recall);
  fmt::print(
      "                  best threshold on this test set {:.3f} (in-scope {:.4f}, "
      "OOS recall {:.4f}; fitted here, so not a default)\n",
      figures.best.threshold, figures.best.in_scope_accuracy, figures.best.oos_recall);
}

void run_router_eval(RouterEvalOptions& options) {
  options.gate.word_vectors = word_vectors_from(options.word_vectors);
  // Progress goes to stderr so that --json output stays one clean object.
  const auto progress = [](const std::string& line) { fmt::print(stderr, "  {}\n", line); };
  if (options.online) return run_online_eval(options, progress);
  const auto split = load_split(options);
  const auto result = router::evaluate(split, options.gate, progress);
  if (!options.report.empty()) write_router_report(options.report, split, result);
  if (options.json) {
    nlohmann::json figures{{"accuracy", result.accuracy},
                           {"macro_f1", result.macro_f1},
                           {"train_s", result.train_s},
                           {"route_p50_us", result.route_p50_us},
                           {"route_p99_us", result.route_p99_us}};
    if (const auto& oos = result.out_of_scope) {
      figures["in_scope_accuracy"] = oos->at_default.in_scope_accuracy;
      figures["oos_recall"] = oos->at_default.oos_recall;
      figures["best_threshold"] = oos->best.threshold;
    }
    fmt::print("{}\n", figures.dump());
    return;
  }
  fmt::print("router: {} skills, {} training rows, {} test rows\n", result.labels.size(),
             split.train.rows.size(), split.test.rows.size());
  fmt::print("  accuracy        {:.4f}   (TF-IDF word+char + LinearSVC: 0.882 on this split)\n",
             result.accuracy);
  fmt::print("  macro-F1        {:.4f}\n", result.macro_f1);
  fmt::print("  word vectors    {}\n",
             options.gate.word_vectors ? options.gate.word_vectors->identity() : "none");
  if (result.out_of_scope) print_out_of_scope(*result.out_of_scope, split.out_of_scope.size());
  fmt::print("  train           {:.2f} s\n", result.train_s);
  fmt::print("  route p50       {:.2f} us\n", result.route_p50_us);
  fmt::print("  route p99       {:.2f} us\n", result.route_p99_us);
  if (!options.report.empty()) fmt::print("  report          {}\n", options.report);
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
  auto* out_of_scope =
      command
          ->add_option("--oos", options->out_of_scope,
                       "TSV of rows no skill should take, same format (labels are ignored): "
                       "adds in-scope accuracy at the threshold and OOS recall")
          ->check(CLI::ExistingFile);
  auto* leave_out = command
                        ->add_option("--leave-out-intents", options->leave_out,
                                     "hold this many labels (chosen by --seed) out of training "
                                     "and route their test rows as out of scope")
                        ->capture_default_str();
  auto* report = command->add_option(
      "--report", options->report,
      "write a self-contained HTML page: confusion heatmap, per-label scores, confidences");
  add_shared_option(*command, SharedOption::json, options->json);
  command
      ->add_flag("--online", options->online,
                 "simulate the feedback loop from a cold start with no examples")
      ->excludes(out_of_scope)
      ->excludes(leave_out)
      ->excludes(report);
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
  command
      ->add_option("--word-weight", options->gate.word_weight,
                   "a word n-gram's weight against a character n-gram's")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--word-vectors", options->word_vectors,
                      "pretrained word vectors: a file, or none (default: the vendored "
                      "data/word_vectors.bin)");
  command
      ->add_option("--word-vector-weight", options->gate.word_vector_weight,
                   "a text's mean word vector's norm against its n-grams' (1)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([options] { run_router_eval(*options); });
}

}  // namespace requip::cli

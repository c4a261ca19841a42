#include "requip/router/evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <random>

namespace requip::router {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct LabelIndex {
  std::vector<std::string> names;
  std::map<std::string, int> rows;

  explicit LabelIndex(const LabeledData& train) : names(train.labels()) {
    for (std::size_t i = 0; i < names.size(); ++i)
      rows[names[i]] = static_cast<int>(i);
  }
  int row(const std::string& label) const { return rows.at(label); }
};

int best(const std::vector<float>& probabilities, const std::vector<bool>& excluded = {}) {
  int top = -1;
  for (std::size_t e = 0; e < probabilities.size(); ++e) {
    if (e < excluded.size() && excluded[e]) continue;
    if (top < 0 || probabilities[e] > probabilities[static_cast<std::size_t>(top)]) {
      top = static_cast<int>(e);
    }
  }
  return top;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

// Accuracy, macro-F1 over the training labels, and the latency of single decisions.
void score(const GateModel& model, const LabeledData& test, const LabelIndex& labels,
           EvaluationResult& result) {
  const std::vector<bool> loaded(labels.names.size(), true);
  const std::size_t count = labels.names.size();
  std::vector<double> true_positive(count), predicted(count), actual(count), latencies;
  std::vector<float> probabilities;
  std::size_t correct = 0;
  for (const auto& row : test.rows) {
    const auto start = Clock::now();
    model.probabilities(row.text, loaded, probabilities);
    const int choice = best(probabilities);
    latencies.push_back(seconds_since(start) * 1e6);
    const int truth = labels.row(row.label);
    predicted[static_cast<std::size_t>(choice)] += 1;
    actual[static_cast<std::size_t>(truth)] += 1;
    if (choice == truth) {
      ++correct;
      true_positive[static_cast<std::size_t>(truth)] += 1;
    }
  }
  double f1_sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double denominator = predicted[i] + actual[i];
    f1_sum += denominator > 0 ? 2 * true_positive[i] / denominator : 0;
  }
  result.accuracy = static_cast<double>(correct) / static_cast<double>(test.rows.size());
  result.macro_f1 = f1_sum / static_cast<double>(count);
  result.route_p50_us = percentile(latencies, 0.50);
  result.route_p99_us = percentile(latencies, 0.99);
}

}  // namespace

EvaluationResult evaluate(const LabeledData& train, const LabeledData& test, GateConfig config,
                          const EvaluationProgress& progress) {
  require_examples_for(test, train);
  const LabelIndex labels(train);
  std::vector<TrainingExample> examples;
  for (const auto& row : train.rows)
    examples.push_back({row.text, labels.row(row.label)});

  GateModel model(config);
  EvaluationResult result;
  const auto start = Clock::now();
  model.train(examples, std::vector<bool>(labels.names.size(), true),
              [&](int epoch, int epochs, double loss) {
                if (progress) {
                  progress(fmt::format("epoch {}/{}  loss {:.4f}  {:.1f} s", epoch, epochs, loss,
                                       seconds_since(start)));
                }
              });
  result.train_s = seconds_since(start);
  score(model, test, labels, result);
  return result;
}

OnlineResult evaluate_online(const LabeledData& train, const LabeledData& test, GateConfig config,
                             std::uint64_t seed, const EvaluationProgress& progress) {
  require_examples_for(test, train);
  const LabelIndex labels(train);
  const std::vector<bool> loaded(labels.names.size(), true);
  std::vector<std::size_t> order(train.rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));

  GateModel model(config);
  model.grow(static_cast<int>(labels.names.size()));
  OnlineResult result;
  std::size_t first_try = 0, tries = 0;
  std::vector<float> probabilities;
  const auto start = Clock::now();
  for (std::size_t n = 0; n < order.size(); ++n) {
    const auto& row = train.rows[order[n]];
    const int truth = labels.row(row.label);
    std::vector<bool> rejected(labels.names.size(), false);
    for (int attempt = 1;; ++attempt) {
      model.probabilities(row.text, loaded, probabilities);
      const int answer = best(probabilities, rejected);
      ++tries;
      if (answer == truth) {
        if (attempt == 1) ++first_try;
        model.learn(row.text, truth, true, loaded);  // "thanks"
        break;
      }
      model.learn(row.text, answer, false, loaded);  // "wrong"
      rejected[static_cast<std::size_t>(answer)] = true;
    }
    if (progress && (n + 1) % 1000 == 0) {
      progress(fmt::format("{}/{} utterances  first-try {:.3f}  tries {:.2f}  {:.1f} s", n + 1,
                           order.size(), static_cast<double>(first_try) / (n + 1),
                           static_cast<double>(tries) / (n + 1), seconds_since(start)));
    }
  }
  result.first_try_accuracy = static_cast<double>(first_try) / static_cast<double>(order.size());
  result.mean_tries = static_cast<double>(tries) / static_cast<double>(order.size());
  result.after.train_s = seconds_since(start);
  score(model, test, labels, result.after);
  return result;
}

}  // namespace requip::router

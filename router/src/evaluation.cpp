#include "requip/router/evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "requip/router/featurizer.hpp"

namespace requip::router {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Each label as a skill the model knows, with its training rows as examples or none.
std::vector<SkillProfile> label_skills(const LabeledData& train, bool with_examples) {
  std::vector<SkillProfile> skills;
  for (auto& [label, examples] : train.examples_by_label()) {
    skills.push_back({label, "1", {}, with_examples ? examples : std::vector<std::string>{}});
  }
  return skills;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

// Accuracy, macro-F1 over the training labels, and the latency of single decisions.
void score(const RouterModel& model, const LabeledData& train, const LabeledData& test,
           EvaluationResult& result) {
  const auto labels = train.labels();
  const auto allowed = model.mask_for(labels);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < labels.size(); ++i)
    index[labels[i]] = i;
  const std::size_t count = labels.size();
  std::vector<double> true_positive(count), predicted(count), actual(count), latencies;
  std::size_t correct = 0;
  for (const auto& row : test.rows) {
    const auto start = Clock::now();
    const Ranking ranking = model.rank(row.text, allowed);
    latencies.push_back(seconds_since(start) * 1e6);
    const std::size_t choice = index.at(ranking.candidates.front().skill);
    const std::size_t truth = index.at(row.label);
    predicted[choice] += 1;
    actual[truth] += 1;
    if (choice == truth) {
      ++correct;
      true_positive[truth] += 1;
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

RouterConfig evaluation_config(GateConfig gate) {
  RouterConfig config;
  config.gate = gate;
  config.save_after_feedback = false;  // the in-memory store would copy the weights each time
  return config;
}

}  // namespace

EvaluationResult evaluate(const LabeledData& train, const LabeledData& test, GateConfig config,
                          const EvaluationProgress& progress) {
  require_examples_for(test, train);
  RouterModel model(evaluation_config(config));
  EvaluationResult result;
  const auto start = Clock::now();
  const auto report =
      model.know(label_skills(train, true), [&](int epoch, int epochs, double loss) {
        if (progress) {
          progress(fmt::format("epoch {}/{}  loss {:.4f}  {:.1f} s", epoch, epochs, loss,
                               seconds_since(start)));
        }
      });
  result.train_s = report ? report->seconds : 0;
  score(model, train, test, result);
  return result;
}

OnlineResult evaluate_online(const LabeledData& train, const LabeledData& test, GateConfig config,
                             std::uint64_t seed, const EvaluationProgress& progress) {
  require_examples_for(test, train);
  RouterModel model(evaluation_config(config));
  model.know(label_skills(train, false));
  const auto allowed = model.mask_for(train.labels());
  std::vector<std::size_t> order(train.rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));

  OnlineResult result;
  std::size_t first_try = 0, tries = 0;
  const auto start = Clock::now();
  for (std::size_t n = 0; n < order.size(); ++n) {
    const auto& row = train.rows[order[n]];
    const std::string key = normalize(row.text);
    std::set<std::string> rejected;
    for (int attempt = 1;; ++attempt) {
      const std::string answer = model.rank(row.text, allowed, rejected).candidates.front().skill;
      ++tries;
      if (answer == row.label) {
        if (attempt == 1) ++first_try;
        model.feedback({"online", key, "thanks", answer, Polarity::confirm}, row.text);
        break;
      }
      model.feedback({"online", key, "wrong", answer, Polarity::major}, row.text);
      rejected.insert(answer);
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
  score(model, train, test, result.after);
  return result;
}

}  // namespace requip::router

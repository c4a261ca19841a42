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
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

// Routes every row on its own: the figures over the training labels, and the latency of
// single decisions.
void score(const RouterModel& model, const LabeledData& train, const LabeledData& test,
           const std::vector<LabeledText>& out_of_scope, EvaluationResult& result) {
  result.labels = train.labels();
  const auto allowed = model.mask_for(result.labels);
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < result.labels.size(); ++i)
    index[result.labels[i]] = static_cast<int>(i);
  std::vector<double> latencies;
  const auto route = [&](const LabeledText& row, int truth) {
    const auto start = Clock::now();
    const Ranking ranking = model.rank(row.text, allowed);
    latencies.push_back(seconds_since(start) * 1e6);
    result.rows.push_back({truth, index.at(ranking.candidates.front().skill), ranking.confidence});
  };
  for (const auto& row : test.rows)
    route(row, index.at(row.label));
  for (const auto& row : out_of_scope)
    route(row, RoutedRow::out_of_scope);

  const auto confusion = confusion_matrix(result.rows, result.labels.size());
  std::size_t correct = 0;
  for (std::size_t label = 0; label < confusion.size(); ++label)
    correct += confusion[label][label];
  double f1_sum = 0;
  for (const auto& label : label_scores(confusion))
    f1_sum += label.f1;
  result.accuracy =
      test.rows.empty() ? 0 : static_cast<double>(correct) / static_cast<double>(test.rows.size());
  result.macro_f1 = f1_sum / static_cast<double>(confusion.size());
  result.route_p50_us = percentile(latencies, 0.50);
  result.route_p99_us = percentile(latencies, 0.99);
  result.threshold = model.config().out_of_scope_below;
  if (!out_of_scope.empty()) {
    result.out_of_scope = OutOfScopeResult{out_of_scope_figures(result.rows, result.threshold),
                                           best_threshold(result.rows)};
  }
}

RouterConfig evaluation_config(GateConfig gate) {
  RouterConfig config;
  config.gate = gate;
  config.save_after_feedback = false;  // the in-memory store would copy the weights each time
  return config;
}

}  // namespace

EvaluationResult evaluate(const EvaluationSplit& data, GateConfig config,
                          const EvaluationProgress& progress) {
  const auto& train = data.train;
  require_examples_for(data.test, train);
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
  score(model, train, data.test, data.out_of_scope, result);
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

  // The user's word about `skill`'s answer to `key`, as the simulated user says it.
  const auto judgement = [](const std::string& key, const std::string& skill, bool right) {
    memory::FeedbackEntry entry;
    entry.session = "online";
    entry.key = key;
    entry.text = right ? "thanks" : "wrong";
    entry.skill = skill;
    entry.verdict = right ? memory::Verdict::confirm : memory::Verdict::major_complaint;
    return entry;
  };
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
        model.feedback(judgement(key, answer, true));
        break;
      }
      model.feedback(judgement(key, answer, false));
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
  score(model, train, test, {}, result.after);
  return result;
}

}  // namespace requip::router

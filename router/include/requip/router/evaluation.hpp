#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "requip/router/labeled_data.hpp"
#include "requip/router/routed_rows.hpp"
#include "requip/router/router_model.hpp"

namespace requip::router {

struct OutOfScopeResult {
  OutOfScopeFigures at_default;  // at RouterConfig's out_of_scope_below, as the router runs
  OutOfScopeFigures best;        // fitted on the test rows: information, not a default
};

struct EvaluationResult {
  double accuracy = 0;  // top-1 over the in-scope rows, whatever the confidence
  double macro_f1 = 0;
  double train_s = 0;
  double route_p50_us = 0;  // one routing decision for one utterance
  double route_p99_us = 0;
  double threshold = 0;  // RouterConfig's out_of_scope_below: below it the router falls back
  std::optional<OutOfScopeResult> out_of_scope;  // when there were rows no skill should take
  std::vector<std::string> labels;               // the skills, sorted: RoutedRow's indices
  std::vector<RoutedRow> rows;                   // the test rows, then the out-of-scope rows
};

struct OnlineResult {
  double first_try_accuracy = 0;  // over the stream
  double mean_tries = 0;          // answers until the right skill, per utterance
  EvaluationResult after;         // on the test set once the stream is over
};

using EvaluationProgress = std::function<void(const std::string& line)>;

// Each label is a skill whose examples are its training rows: the router model learns them
// cold (train_s is that retrain), then routes each test and out-of-scope row on its own.
EvaluationResult evaluate(const EvaluationSplit& data, GateConfig config,
                          const EvaluationProgress& progress = {});

// From a cold start with no examples: the training rows arrive in a seeded random order, the
// router model answers, a simulated user says "wrong" (a major complaint through the model's
// feedback) until the right skill comes up, then "thanks".
OnlineResult evaluate_online(const LabeledData& train, const LabeledData& test, GateConfig config,
                             std::uint64_t seed, const EvaluationProgress& progress = {});

}  // namespace requip::router

#pragma once

#include <functional>
#include <string>

#include "requip/router/labeled_data.hpp"
#include "requip/router/router_model.hpp"

namespace requip::router {

struct EvaluationResult {
  double accuracy = 0;
  double macro_f1 = 0;
  double train_s = 0;
  double route_p50_us = 0;  // one routing decision for one utterance
  double route_p99_us = 0;
};

struct OnlineResult {
  double first_try_accuracy = 0;  // over the stream
  double mean_tries = 0;          // answers until the right skill, per utterance
  EvaluationResult after;         // on the test set once the stream is over
};

using EvaluationProgress = std::function<void(const std::string& line)>;

// Each label is a skill whose examples are its training rows: the router model learns them
// cold (train_s is that retrain), then routes each test row on its own.
EvaluationResult evaluate(const LabeledData& train, const LabeledData& test, GateConfig config,
                          const EvaluationProgress& progress = {});

// From a cold start with no examples: the training rows arrive in a seeded random order, the
// router model answers, a simulated user says "wrong" (a major complaint through the model's
// feedback) until the right skill comes up, then "thanks".
OnlineResult evaluate_online(const LabeledData& train, const LabeledData& test, GateConfig config,
                             std::uint64_t seed, const EvaluationProgress& progress = {});

}  // namespace requip::router

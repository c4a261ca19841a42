#pragma once

#include <functional>
#include <string>

#include "requip/router/gate_model.hpp"
#include "requip/router/labeled_data.hpp"

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

// Each label is a skill whose examples are its training rows: train, then score the test rows.
EvaluationResult evaluate(const LabeledData& train, const LabeledData& test, GateConfig config,
                          const EvaluationProgress& progress = {});

// From a cold start with no examples: the training rows arrive in a seeded random order, the
// router answers, a simulated user says "wrong" until the right skill comes up, then "thanks".
OnlineResult evaluate_online(const LabeledData& train, const LabeledData& test, GateConfig config,
                             std::uint64_t seed, const EvaluationProgress& progress = {});

}  // namespace requip::router

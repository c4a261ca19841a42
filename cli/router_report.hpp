#pragma once

#include <filesystem>
#include <string>

#include "requip/router/evaluation.hpp"

namespace requip::cli {

// `requip eval router --report`: a self-contained HTML page a person can read, as
// `rasa test nlu` writes one. The confusion matrix as a heatmap with the most-confused pairs
// listed and an utterance of each, per-label precision, recall and F1, and the histogram of
// confidences of correct, wrong and out-of-scope rows with the threshold drawn in.
std::string router_report_html(const router::EvaluationSplit& split,
                               const router::EvaluationResult& result);
void write_router_report(const std::filesystem::path& file, const router::EvaluationSplit& split,
                         const router::EvaluationResult& result);

}  // namespace requip::cli

#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "requip/moe/eval_point.hpp"

namespace requip::cli {

// What a training run leaves for its report.
struct TrainingHistory {
  std::string title;                  // e.g. the command line
  std::string summary;                // one line: parameters, data, timing
  std::vector<double> step_loss;      // [step - 1] training loss of each step
  std::vector<moe::EvalPoint> evals;  // in step order
};

// A self-contained HTML page: SVG loss curves (per-step training loss, evaluated train and
// validation loss) and, per layer, a heatmap of each expert's share of tokens over training.
std::string training_report_html(const TrainingHistory& history);
void write_training_report(const std::filesystem::path& file, const TrainingHistory& history);

}  // namespace requip::cli

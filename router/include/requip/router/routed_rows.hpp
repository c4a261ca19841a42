#pragma once

#include <cstddef>
#include <vector>

namespace requip::router {

// One test utterance as the router routed it. Labels are indices into the evaluation's sorted
// label list.
struct RoutedRow {
  static constexpr int out_of_scope = -1;  // the truth of a row no skill should take
  int truth = out_of_scope;
  int choice = 0;        // the gate's first choice, whatever its confidence
  float confidence = 0;  // Ranking::confidence, which the out-of-scope threshold is held to
};

// Top-1 figures of one label over the in-scope rows, the threshold aside.
struct LabelScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::size_t support = 0;  // rows of this label
};

using ConfusionMatrix = std::vector<std::vector<std::size_t>>;  // [truth][choice] row counts

ConfusionMatrix confusion_matrix(const std::vector<RoutedRow>& rows, std::size_t labels);
std::vector<LabelScores> label_scores(const ConfusionMatrix& confusion);

struct OutOfScopeFigures {
  double threshold = 0;          // a row whose confidence is below it falls back
  double in_scope_accuracy = 0;  // right skill and confident enough: a fallback counts as wrong
  double oos_recall = 0;         // share of the out-of-scope rows that fall back
};

OutOfScopeFigures out_of_scope_figures(const std::vector<RoutedRow>& rows, double threshold);
// The figures at the threshold that maximises the mean of the two on these very rows: it tells
// how far the default is from the best this signal can do, and is never a default itself.
OutOfScopeFigures best_threshold(const std::vector<RoutedRow>& rows);

}  // namespace requip::router

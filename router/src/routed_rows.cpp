#include "requip/router/routed_rows.hpp"

#include <algorithm>
#include <cmath>

namespace requip::router {

namespace {

double share(std::size_t count, std::size_t total) {
  return total > 0 ? static_cast<double>(count) / static_cast<double>(total) : 0.0;
}

}  // namespace

ConfusionMatrix confusion_matrix(const std::vector<RoutedRow>& rows, std::size_t labels) {
  ConfusionMatrix counts(labels, std::vector<std::size_t>(labels, 0));
  for (const auto& row : rows) {
    if (row.truth != RoutedRow::out_of_scope) {
      ++counts[static_cast<std::size_t>(row.truth)][static_cast<std::size_t>(row.choice)];
    }
  }
  return counts;
}

std::vector<LabelScores> label_scores(const ConfusionMatrix& confusion) {
  std::vector<LabelScores> scores(confusion.size());
  for (std::size_t label = 0; label < confusion.size(); ++label) {
    std::size_t predicted = 0;
    for (const auto& truth : confusion)
      predicted += truth[label];
    auto& score = scores[label];
    for (const auto count : confusion[label])
      score.support += count;
    const std::size_t right = confusion[label][label];
    score.precision = share(right, predicted);
    score.recall = share(right, score.support);
    score.f1 = share(2 * right, predicted + score.support);
  }
  return scores;
}

OutOfScopeFigures out_of_scope_figures(const std::vector<RoutedRow>& rows, double threshold) {
  std::size_t in_scope = 0, accepted_right = 0, out_of_scope = 0, fell_back = 0;
  for (const auto& row : rows) {
    const bool confident = row.confidence >= threshold;
    if (row.truth == RoutedRow::out_of_scope) {
      ++out_of_scope;
      if (!confident) ++fell_back;
    } else {
      ++in_scope;
      if (confident && row.choice == row.truth) ++accepted_right;
    }
  }
  return {threshold, share(accepted_right, in_scope), share(fell_back, out_of_scope)};
}

OutOfScopeFigures best_threshold(const std::vector<RoutedRow>& rows) {
  // The mean only changes where the threshold passes a row's confidence, so those (and one
  // above them all, where everything falls back) are the thresholds worth trying.
  std::vector<double> candidates{0.0};
  for (const auto& row : rows)
    candidates.push_back(row.confidence);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  candidates.push_back(std::nextafter(static_cast<float>(candidates.back()), 2.0f));
  OutOfScopeFigures best = out_of_scope_figures(rows, candidates.front());
  for (const double threshold : candidates) {
    const auto figures = out_of_scope_figures(rows, threshold);
    if (figures.in_scope_accuracy + figures.oos_recall > best.in_scope_accuracy + best.oos_recall)
      best = figures;
  }
  return best;
}

}  // namespace requip::router

#include <catch2/catch.hpp>

#include "requip/router/routed_rows.hpp"

using namespace requip::router;

namespace {
constexpr int none = RoutedRow::out_of_scope;
// Two right answers (one unsure), one wrong, two out-of-scope rows (one confident).
const std::vector<RoutedRow> rows{
    {0, 0, 0.9f}, {1, 1, 0.2f}, {1, 0, 0.6f}, {none, 0, 0.1f}, {none, 1, 0.7f}};
}  // namespace

TEST_CASE("routed rows: a fallback costs in-scope accuracy and counts for OOS recall",
          "[router][eval]") {
  const auto figures = out_of_scope_figures(rows, 0.3);
  CHECK(figures.in_scope_accuracy == Approx(1.0 / 3));  // the unsure right answer fell back
  CHECK(figures.oos_recall == Approx(0.5));
  CHECK(out_of_scope_figures(rows, 0.0).oos_recall == 0);
}

TEST_CASE("routed rows: the best threshold maximises the mean of the two figures",
          "[router][eval]") {
  const auto best = best_threshold(rows);
  // At 0.7 only the confident right answer and nothing out of scope stay: 1/3 and 1/2; at 0.9,
  // 1/3 and 1: the best.
  CHECK(best.threshold == Approx(0.9));
  CHECK(best.in_scope_accuracy == Approx(1.0 / 3));
  CHECK(best.oos_recall == Approx(1.0));
}

TEST_CASE("routed rows: per-label scores come from the confusion of in-scope rows",
          "[router][eval]") {
  const auto confusion = confusion_matrix(rows, 2);
  CHECK(confusion == ConfusionMatrix{{1, 0}, {1, 1}});
  const auto scores = label_scores(confusion);
  CHECK(scores[0].precision == Approx(0.5));
  CHECK(scores[0].recall == Approx(1.0));
  CHECK(scores[1].precision == Approx(1.0));
  CHECK(scores[1].recall == Approx(0.5));
  CHECK(scores[1].f1 == Approx(2.0 / 3));
  CHECK(scores[1].support == 2);
}

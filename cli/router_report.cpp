#include "router_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <tuple>

#include "html_page.hpp"
#include "router_report_charts.hpp"

namespace requip::cli {

namespace {

// Enough to see where a skill set collides; the heatmap's tooltips hold the rest.
constexpr std::size_t listed_pairs = 20;

std::string summary_html(const router::EvaluationSplit& split,
                         const router::EvaluationResult& result) {
  std::string html = fmt::format(
      "<p>{} skills trained on {} rows of {}; {} test rows of {}. Top-1 accuracy {:.4f}, "
      "macro-F1 {:.4f}; route p50 {:.1f} µs, p99 {:.1f} µs.</p>\n",
      result.labels.size(), split.train.rows.size(), escape_html(split.train.file.string()),
      split.test.rows.size(), escape_html(split.test.file.string()), result.accuracy,
      result.macro_f1, result.route_p50_us, result.route_p99_us);
  if (const auto& oos = result.out_of_scope) {
    html += fmt::format(
        "<p>{} out-of-scope rows. At the router's threshold {:.2f}: in-scope accuracy {:.4f} (a "
        "fallback counts as wrong), OOS recall {:.4f}. The threshold that maximises their mean on "
        "these rows is {:.3f} (in-scope {:.4f}, OOS recall {:.4f}); it is fitted on the test "
        "rows, so it says how good the signal is, not what the default should be.</p>\n",
        split.out_of_scope.size(), oos->at_default.threshold, oos->at_default.in_scope_accuracy,
        oos->at_default.oos_recall, oos->best.threshold, oos->best.in_scope_accuracy,
        oos->best.oos_recall);
  }
  return html;
}

std::string confused_pairs_html(const router::EvaluationSplit& split,
                                const router::EvaluationResult& result,
                                const router::ConfusionMatrix& confusion) {
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> pairs;  // (count, truth, choice)
  for (std::size_t truth = 0; truth < confusion.size(); ++truth) {
    for (std::size_t choice = 0; choice < confusion.size(); ++choice) {
      if (truth != choice && confusion[truth][choice] > 0)
        pairs.emplace_back(confusion[truth][choice], truth, choice);
    }
  }
  if (pairs.empty()) return "<p>No test row went to another skill.</p>\n";
  // Most rows first; ties in label order, so the page is the same for the same run.
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::tie(std::get<1>(a), std::get<2>(a)) < std::tie(std::get<1>(b), std::get<2>(b));
  });
  std::string html =
      "<table><tr><th>true skill</th><th>routed to</th><th>rows</th><th>for example</th></tr>\n";
  for (std::size_t i = 0; i < std::min(pairs.size(), listed_pairs); ++i) {
    const auto [count, truth, choice] = pairs[i];
    std::string example;
    for (std::size_t row = 0; row < split.test.rows.size(); ++row) {
      const auto& routed = result.rows[row];
      if (routed.truth == static_cast<int>(truth) && routed.choice == static_cast<int>(choice)) {
        example = split.test.rows[row].text;
        break;
      }
    }
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td style='text-align:left'>{}</td></tr>\n",
        escape_html(result.labels[truth]), escape_html(result.labels[choice]), count,
        escape_html(example));
  }
  return html + "</table>\n";
}

std::string label_scores_html(const router::EvaluationResult& result,
                              const router::ConfusionMatrix& confusion) {
  const auto scores = router::label_scores(confusion);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  // The weakest first: they are what a skill author looks at.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a].f1 < scores[b].f1; });
  std::string html =
      "<table><tr><th>skill</th><th>precision</th><th>recall</th><th>F1</th><th>test "
      "rows</th></tr>\n";
  for (const auto label : order) {
    const auto& score = scores[label];
    html += fmt::format(
        "<tr><td>{}</td><td>{:.3f}</td><td>{:.3f}</td><td>{:.3f}</td><td>{}</td></tr>\n",
        escape_html(result.labels[label]), score.precision, score.recall, score.f1, score.support);
  }
  return html + "</table>\n";
}

}  // namespace

std::string router_report_html(const router::EvaluationSplit& split,
                               const router::EvaluationResult& result) {
  const auto confusion = router::confusion_matrix(result.rows, result.labels.size());
  std::string html = html_page_start("requip eval router") + summary_html(split, result);
  html +=
      "<h2>Confusion matrix</h2>\n<p>Rows are the true skill, columns the gate's first choice, "
      "whatever its confidence. Blue on the diagonal is the share routed right, red off it the "
      "share routed elsewhere; hover over a cell for its counts.</p>\n";
  html += confusion_heatmap_svg(confusion, result.labels);
  html += "<h2>Most-confused pairs</h2>\n" + confused_pairs_html(split, result, confusion);
  html += "<h2>Per skill</h2>\n" + label_scores_html(result, confusion);
  html +=
      "<h2>Confidence</h2>\n<p>The confidence each row was routed with, as a share of the "
      "rows of its kind. Below the dashed threshold the router falls back instead of "
      "answering: right for out-of-scope rows, a lost answer for correct ones.</p>\n";
  html += confidence_histogram_svg(result.rows, result.threshold);
  return html + html_page_end();
}

void write_router_report(const std::filesystem::path& file, const router::EvaluationSplit& split,
                         const router::EvaluationResult& result) {
  write_html_page(file, router_report_html(split, result));
}

}  // namespace requip::cli

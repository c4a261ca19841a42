#include "train_report.hpp"

#include "html_page.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace requip::cli {

namespace {

constexpr double plot_width = 720, plot_height = 280, margin = 40;

struct Series {
  std::string name;
  std::string colour;
  std::vector<std::pair<double, double>> points;  // (step, loss)
};

// Per-step losses averaged over buckets, so that a long run stays a small file.
Series smoothed_step_loss(const std::vector<double>& loss) {
  Series series{"training loss (per step, bucket mean)", "#9ab", {}};
  const std::size_t bucket = std::max<std::size_t>(1, loss.size() / 400);
  for (std::size_t start = 0; start < loss.size(); start += bucket) {
    const std::size_t stop = std::min(loss.size(), start + bucket);
    double sum = 0;
    for (std::size_t i = start; i < stop; ++i)
      sum += loss[i];
    series.points.emplace_back(static_cast<double>(stop), sum / static_cast<double>(stop - start));
  }
  return series;
}

std::string loss_svg(const std::vector<Series>& all_series, double max_step) {
  double low = 1e9, high = -1e9;
  for (const auto& series : all_series) {
    for (const auto& [step, loss] : series.points) {
      low = std::min(low, loss);
      high = std::max(high, loss);
    }
  }
  if (low > high) return "<p>no losses recorded</p>";
  if (high - low < 1e-6) high = low + 1;
  auto x = [&](double step) { return margin + step / std::max(max_step, 1.0) * plot_width; };
  auto y = [&](double loss) { return margin + (high - loss) / (high - low) * plot_height; };
  std::string svg = svg_start(plot_width + 2 * margin + 200, plot_height + 2 * margin, 12);
  svg += fmt::format("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#888'/>\n",
                     margin, margin, plot_width, plot_height);
  for (int tick = 0; tick <= 4; ++tick) {
    const double loss = low + (high - low) * tick / 4;
    svg += fmt::format("<text x='2' y='{:.1f}'>{:.2f}</text>\n", y(loss) + 4, loss);
    svg += fmt::format("<text x='{:.1f}' y='{}'>{:.0f}</text>\n", x(max_step * tick / 4) - 10,
                       plot_height + 2 * margin - 8, max_step * tick / 4);
  }
  for (std::size_t i = 0; i < all_series.size(); ++i) {
    const auto& series = all_series[i];
    std::string points;
    for (const auto& [step, loss] : series.points) {
      points += fmt::format("{:.1f},{:.1f} ", x(step), y(loss));
    }
    svg += fmt::format("<polyline fill='none' stroke='{}' stroke-width='{}' points='{}'/>\n",
                       series.colour, i == 0 ? 1 : 2, points);
    svg += fmt::format("<text x='{}' y='{}' fill='{}'>{}</text>\n", plot_width + margin + 10,
                       margin + 16 * (i + 1), series.colour, escape_html(series.name));
  }
  return svg + "</svg>\n";
}

// White at a uniform share (1/E), towards blue for starved experts and red for hot ones.
std::string load_colour(double share_over_uniform) {
  const double r = std::clamp(share_over_uniform, 0.0, 3.0);
  if (r < 1) {
    const auto level = static_cast<int>(255 * r);
    return fmt::format("rgb({},{},255)", level, level);
  }
  const auto level = static_cast<int>(255 * (1 - (r - 1) / 2));
  return fmt::format("rgb(255,{},{})", level, level);
}

std::string heatmap_svg(const std::vector<moe::EvalPoint>& evals, std::size_t layer) {
  const std::size_t experts = evals.front().expert_load[layer].size();
  constexpr double cell_width = 36, cell_height = 16;
  std::string svg =
      svg_start(margin + cell_width * evals.size() + 10, cell_height * (experts + 2), 11);
  for (std::size_t e = 0; e < experts; ++e) {
    svg += fmt::format("<text x='0' y='{}'>e{}</text>\n", cell_height * (e + 1) - 4, e);
  }
  for (std::size_t i = 0; i < evals.size(); ++i) {
    const auto& load = evals[i].expert_load[layer];
    for (std::size_t e = 0; e < experts; ++e) {
      const double over_uniform = load[e] * static_cast<double>(experts);
      svg += fmt::format(
          "<rect x='{}' y='{}' width='{}' height='{}' fill='{}'><title>step {} expert {}: {:.1f}% "
          "of tokens ({:.2f}x uniform)</title></rect>\n",
          margin + cell_width * i, cell_height * e, cell_width - 1, cell_height - 1,
          load_colour(over_uniform), evals[i].step, e, 100 * load[e], over_uniform);
    }
    svg += fmt::format("<text x='{}' y='{}'>{}</text>\n", margin + cell_width * i,
                       cell_height * (experts + 1) - 2, evals[i].step);
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string training_report_html(const TrainingHistory& history) {
  std::vector<Series> series{smoothed_step_loss(history.step_loss),
                             {"train loss (eval)", "#1f77b4", {}},
                             {"validation loss (eval)", "#d62728", {}}};
  for (const auto& eval : history.evals) {
    series[1].points.emplace_back(static_cast<double>(eval.step), eval.train_loss);
    series[2].points.emplace_back(static_cast<double>(eval.step), eval.val_loss);
  }
  std::string html = html_page_start(history.title) +
                     fmt::format("<p>{}</p>\n<h2>Loss</h2>\n", escape_html(history.summary));
  html += loss_svg(series, static_cast<double>(history.step_loss.size()));

  html +=
      "<h2>Evaluations</h2>\n<table><tr><th>step</th><th>train</th><th>val</th>"
      "<th>max/mean expert load per layer</th><th>dead experts</th></tr>\n";
  for (const auto& eval : history.evals) {
    std::string balance, dead;
    for (double ratio : eval.max_over_mean)
      balance += fmt::format("{:.2f} ", ratio);
    for (std::int64_t count : eval.dead_experts)
      dead += fmt::format("{} ", count);
    html +=
        fmt::format("<tr><td>{}</td><td>{:.3f}</td><td>{:.3f}</td><td>{}</td><td>{}</td></tr>\n",
                    eval.step, eval.train_loss, eval.val_loss, balance, dead);
  }
  html += "</table>\n";

  if (!history.evals.empty() && !history.evals.front().expert_load.empty()) {
    html +=
        "<h2>Expert load over training</h2>\n<p>Each cell: the share of token slots an expert "
        "received on the validation batches of that evaluation. White is a uniform share; red "
        "is hot (3x uniform or more), blue is starved.</p>\n";
    for (std::size_t layer = 0; layer < history.evals.front().expert_load.size(); ++layer) {
      html += fmt::format("<h3>layer {}</h3>\n", layer) + heatmap_svg(history.evals, layer);
    }
  }
  return html + html_page_end();
}

void write_training_report(const std::filesystem::path& file, const TrainingHistory& history) {
  write_html_page(file, training_report_html(history));
}

}  // namespace requip::cli

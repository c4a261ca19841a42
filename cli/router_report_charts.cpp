#include "router_report_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "html_page.hpp"

namespace requip::cli {

namespace {

// Room for the longest label names at the left of and above the matrix.
constexpr double label_room = 170;

std::string cell_colour(double share, bool diagonal) {
  // The square root makes the rare confusions, the ones worth a look, visible at all.
  const auto level = static_cast<int>(255 * (1 - std::sqrt(std::clamp(share, 0.0, 1.0))));
  return diagonal ? fmt::format("rgb({},{},255)", level, level)
                  : fmt::format("rgb(255,{},{})", level, level);
}

}  // namespace

std::string confusion_heatmap_svg(const router::ConfusionMatrix& confusion,
                                  const std::vector<std::string>& labels) {
  const std::size_t count = labels.size();
  // About 640 pixels across whatever the number of labels, and never below legible.
  const double cell =
      std::clamp(640.0 / static_cast<double>(std::max<std::size_t>(count, 1)), 6.0, 16.0);
  const double side = label_room + cell * static_cast<double>(count) + 10;
  std::string svg = svg_start(side, side, static_cast<int>(std::min(cell - 1, 11.0)));
  for (std::size_t i = 0; i < count; ++i) {
    const double at = label_room + cell * static_cast<double>(i);
    const std::string name = escape_html(labels[i]);
    svg += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='end'>{}</text>\n", label_room - 4,
                       at + cell - 2, name);
    svg += fmt::format(
        "<text transform='translate({:.1f},{:.1f}) rotate(-90)' text-anchor='start'>{}</text>\n",
        at + cell - 2, label_room - 4, name);
  }
  for (std::size_t truth = 0; truth < count; ++truth) {
    std::size_t support = 0;
    for (const auto n : confusion[truth])
      support += n;
    for (std::size_t choice = 0; choice < count; ++choice) {
      const std::size_t n = confusion[truth][choice];
      if (n == 0) continue;
      const double share = static_cast<double>(n) / static_cast<double>(support);
      svg += fmt::format(
          "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'><title>{} routed "
          "to {}: {} of {} rows ({:.0f}%)</title></rect>\n",
          label_room + cell * static_cast<double>(choice),
          label_room + cell * static_cast<double>(truth), cell - 0.5, cell - 0.5,
          cell_colour(share, truth == choice), escape_html(labels[truth]),
          escape_html(labels[choice]), n, support, 100 * share);
    }
  }
  return svg + "</svg>\n";
}

std::string confidence_histogram_svg(const std::vector<router::RoutedRow>& rows, double threshold) {
  constexpr int bins = 20;
  constexpr double width = 720, height = 240, margin = 40;
  struct Kind {
    const char* name;
    const char* colour;
    std::array<double, bins> share{};
    std::size_t rows = 0;
  };
  std::array<Kind, 3> kinds{Kind{"correct", "#2ca02c"}, Kind{"wrong", "#d62728"},
                            Kind{"out of scope", "#7f7f7f"}};
  for (const auto& row : rows) {
    auto& kind = row.truth == router::RoutedRow::out_of_scope ? kinds[2]
                 : row.truth == row.choice                    ? kinds[0]
                                                              : kinds[1];
    const int bin = std::clamp(static_cast<int>(row.confidence * bins), 0, bins - 1);
    kind.share[static_cast<std::size_t>(bin)] += 1;
    ++kind.rows;
  }
  double tallest = 0;  // of any bar, so that the three share one scale
  for (auto& kind : kinds) {
    for (auto& share : kind.share) {
      share /= static_cast<double>(std::max<std::size_t>(kind.rows, 1));
      tallest = std::max(tallest, share);
    }
  }
  if (tallest == 0) tallest = 1;  // no rows: an empty frame rather than 0 / 0
  const auto x = [&](double confidence) { return margin + confidence * width; };
  const auto y = [&](double share) { return margin + height * (1 - share / tallest); };
  std::string svg = svg_start(width + 2 * margin + 180, height + 2 * margin, 12);
  svg += fmt::format("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#888'/>\n",
                     margin, margin, width, height);
  const double bar = width / bins / 3;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    for (int bin = 0; bin < bins; ++bin) {
      const double share = kinds[k].share[static_cast<std::size_t>(bin)];
      if (share == 0) continue;
      svg += fmt::format(
          "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'><title>{}: "
          "{:.0f}% of its rows at confidence {:.2f}-{:.2f}</title></rect>\n",
          x(static_cast<double>(bin) / bins) + bar * static_cast<double>(k), y(share), bar,
          margin + height - y(share), kinds[k].colour, kinds[k].name, 100 * share,
          static_cast<double>(bin) / bins, static_cast<double>(bin + 1) / bins);
    }
    svg += fmt::format("<text x='{}' y='{}' fill='{}'>{} ({} rows)</text>\n", width + margin + 10,
                       margin + 16 * static_cast<double>(k + 1), kinds[k].colour, kinds[k].name,
                       kinds[k].rows);
  }
  for (int tick = 0; tick <= 4; ++tick) {
    svg += fmt::format("<text x='{:.1f}' y='{}'>{:.2f}</text>\n", x(tick / 4.0) - 10,
                       height + 2 * margin - 8, tick / 4.0);
  }
  svg += fmt::format(
      "<line x1='{0:.1f}' y1='{1}' x2='{0:.1f}' y2='{2}' stroke='black' stroke-dasharray='4 3'/>\n"
      "<text x='{3:.1f}' y='{4}'>threshold {5:.2f}</text>\n",
      x(threshold), margin, margin + height, x(threshold) + 4, margin - 6, threshold);
  return svg + "</svg>\n";
}

}  // namespace requip::cli

#pragma once

#include <string>
#include <vector>

#include "requip/router/routed_rows.hpp"

namespace requip::cli {

// The router report's figures, as inline SVG.

// One cell per (true label, chosen label), coloured by the share of the true label's rows:
// blue on the diagonal (right), red off it (confused), with the counts in each cell's tooltip.
std::string confusion_heatmap_svg(const router::ConfusionMatrix& confusion,
                                  const std::vector<std::string>& labels);

// The confidence of correct, wrong and out-of-scope rows, each as shares of its own rows so
// that a small out-of-scope set reads on the same scale, with the threshold drawn in.
std::string confidence_histogram_svg(const std::vector<router::RoutedRow>& rows, double threshold);

}  // namespace requip::cli

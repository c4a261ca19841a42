#include "routing_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prefetch.hpp"

namespace requip::router::detail {

namespace {

// A learned row an utterance touches, with the TF-IDF weight of one of its occurrences.
struct Hit {
  std::int32_t row;
  float weight;
};

}  // namespace

RoutingTable::RoutingTable(std::uint32_t buckets, int dim, int members)
    : dim_(dim), members_(members), width_(dim * members), buckets_(buckets) {}

void RoutingTable::copy_all(const GateWeights& weights) {
  std::fill(buckets_.begin(), buckets_.end(), Bucket{});
  rows_used_ = 0;
  rows_.clear();
  for (std::size_t bucket = 0; bucket < buckets_.size(); ++bucket)
    copy_row(weights, static_cast<std::int64_t>(bucket));
  copy_dense(weights);
}

void RoutingTable::copy_rows(const GateWeights& weights, const std::vector<std::int64_t>& buckets) {
  for (auto bucket : buckets)
    copy_row(weights, bucket);
  copy_dense(weights);
}

void RoutingTable::copy_row(const GateWeights& weights, std::int64_t bucket) {
  const auto index = static_cast<std::size_t>(bucket);
  const float frequency = weights.document_frequency[index];
  // A bucket no learned text holds has a zero row in the table: skipping it changes nothing.
  if (frequency <= 0) return;
  auto& entry = buckets_[index];
  if (entry.row < 0) {
    entry.row = rows_used_++;
    rows_.resize(rows_.size() + static_cast<std::size_t>(width_));
  }
  entry.log_frequency = static_cast<float>(std::log1p(static_cast<double>(frequency)));
  const float* source = weights.table + index * static_cast<std::size_t>(width_);
  std::copy(source, source + width_, rows_.begin() + std::ptrdiff_t{entry.row} * width_);
}

void RoutingTable::copy_dense(const GateWeights& weights) {
  log_documents_ = std::log1p(weights.documents);
  hidden_bias_.assign(weights.hidden_bias, weights.hidden_bias + width_);
  experts_ = weights.experts;
  const auto experts = static_cast<std::size_t>(experts_);
  const auto dim = static_cast<std::size_t>(dim_);
  gate_weights_.resize(static_cast<std::size_t>(members_) * dim * experts);
  gate_biases_.resize(static_cast<std::size_t>(members_) * experts);
  for (std::size_t m = 0; m < static_cast<std::size_t>(members_); ++m) {
    const float* weight = weights.gate_weights[m];  // (E, d)
    float* transposed = gate_weights_.data() + m * dim * experts;
    for (std::size_t e = 0; e < experts; ++e) {
      for (std::size_t k = 0; k < dim; ++k)
        transposed[k * experts + e] = weight[e * dim + k];
    }
    std::copy(weights.gate_biases[m], weights.gate_biases[m] + experts,
              gate_biases_.begin() + static_cast<std::ptrdiff_t>(m * experts));
  }
}

float RoutingTable::probabilities(const std::vector<std::int64_t>& ids,
                                  const std::vector<bool>& loaded, std::vector<float>& out) const {
  // Reused across calls: routing allocates nothing once these have grown.
  thread_local std::vector<Hit> hits;
  thread_local std::vector<float> hidden, logits;

  // TF-IDF weights, L2-normalised over every occurrence, seen or not.
  const auto unseen_idf = static_cast<float>(inverse_document_frequency(log_documents_, 0.0));
  float norm = 0, known = 0;
  hits.clear();
  for (auto id : ids) {
    const Bucket entry = buckets_[static_cast<std::size_t>(id)];
    if (entry.row < 0) {
      norm += unseen_idf * unseen_idf;
      continue;
    }
    prefetch(rows_.data() + std::ptrdiff_t{entry.row} * width_, static_cast<std::size_t>(width_));
    const auto idf =
        static_cast<float>(inverse_document_frequency(log_documents_, entry.log_frequency));
    norm += idf * idf;
    known += idf * idf;
    hits.push_back({entry.row, idf});
  }
  const float scale = norm > 0 ? 1.0f / std::sqrt(norm) : 0.0f;

  // hidden = relu(bias + sum of weight * row), all members at once; an n-gram that occurs
  // twice is one read of its row with the weights summed, and rows are read in memory order.
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.row < b.row; });
  hidden.assign(hidden_bias_.begin(), hidden_bias_.end());
  float* __restrict sum = hidden.data();
  const int width = width_;
  for (std::size_t j = 0; j < hits.size();) {
    const std::int32_t row = hits[j].row;
    float weight = 0;
    for (; j < hits.size() && hits[j].row == row; ++j)
      weight += hits[j].weight;
    weight *= scale;
    const float* __restrict values = rows_.data() + std::ptrdiff_t{row} * width;
    for (int k = 0; k < width; ++k)
      sum[k] += weight * values[k];
  }
  for (int k = 0; k < width; ++k)
    sum[k] = std::max(sum[k], 0.0f);

  const int experts = experts_;
  const auto allowed = [&](int e) {
    return static_cast<std::size_t>(e) < loaded.size() && loaded[static_cast<std::size_t>(e)];
  };
  out.assign(static_cast<std::size_t>(experts), 0.0f);
  logits.resize(static_cast<std::size_t>(experts));
  float* __restrict score = logits.data();
  for (int m = 0; m < members_; ++m) {
    // scores = bias + slice x W^T, one column of W^T per hidden unit; closed units add nothing.
    const float* slice = sum + std::ptrdiff_t{m} * dim_;
    const float* transposed = gate_weights_.data() + std::ptrdiff_t{m} * dim_ * experts;  // (d, E)
    const float* bias = gate_biases_.data() + std::ptrdiff_t{m} * experts;
    std::copy(bias, bias + experts, score);
    for (int k = 0; k < dim_; ++k) {
      const float unit = slice[k];
      if (unit == 0.0f) continue;
      const float* __restrict column = transposed + std::ptrdiff_t{k} * experts;
      for (int e = 0; e < experts; ++e)
        score[e] += unit * column[e];
    }
    float top = -std::numeric_limits<float>::infinity();
    for (int e = 0; e < experts; ++e) {
      if (allowed(e)) top = std::max(top, score[e]);
    }
    float total = 0;
    for (int e = 0; e < experts; ++e) {
      if (!allowed(e)) continue;
      score[e] = std::exp(score[e] - top);
      total += score[e];
    }
    const float share = 1.0f / (total * static_cast<float>(members_));
    for (int e = 0; e < experts; ++e) {
      if (allowed(e)) out[static_cast<std::size_t>(e)] += score[e] * share;
    }
  }
  return known * scale * scale;
}

}  // namespace requip::router::detail

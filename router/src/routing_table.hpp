#pragma once

#include <cstdint>
#include <vector>

namespace requip::router::detail {

// Smoothed inverse document frequency, as scikit-learn's TfidfVectorizer computes it, written
// as a difference of logs so that a bucket's log can be kept and only the total's recomputed.
inline double inverse_document_frequency(double log_documents, double log_frequency) {
  return log_documents - log_frequency + 1.0;  // log((1 + N) / (1 + df)) + 1
}

// Where GateNetwork keeps the learned weights; read, never written.
struct GateWeights {
  const float* table = nullptr;               // (V, M*d)
  const float* document_frequency = nullptr;  // (V)
  double documents = 0;
  const float* hidden_bias = nullptr;      // (M*d)
  std::vector<const float*> gate_weights;  // M x (E, d)
  std::vector<const float*> gate_biases;   // M x (E)
  int experts = 0;
};

// The gate's weights laid out for routing one utterance at a time, with plain arrays and no
// torch: the torch modules pay a fixed cost per op that dwarfs this much arithmetic. Only
// buckets the gate has learned from get a row, so unseen n-grams cost one index read, and the
// rows sit back to back. GateModel copies into it after every change; the modules stay the
// source of truth.
class RoutingTable {
 public:
  RoutingTable(std::uint32_t buckets, int dim, int members);

  // Copies everything: after training or loading.
  void copy_all(const GateWeights& weights);
  // Copies the rows of these buckets and the small dense weights: after one online step,
  // which moves nothing else.
  void copy_rows(const GateWeights& weights, const std::vector<std::int64_t>& buckets);

  // (E) probabilities of the text whose bucket ids these are, zero outside `loaded`: the TF-IDF
  // weighted sum of rows, ReLU, one softmax gate per member, averaged. Returns the share of the
  // text's squared TF-IDF weight that falls on buckets the gate has learned from.
  float probabilities(const std::vector<std::int64_t>& ids, const std::vector<bool>& loaded,
                      std::vector<float>& out) const;

 private:
  void copy_dense(const GateWeights& weights);
  void copy_row(const GateWeights& weights, std::int64_t bucket);

  int dim_;
  int members_;
  int width_;        // M*d
  int experts_ = 0;  // E
  double log_documents_ = 0;
  // A bucket's row and log(1 + df) side by side: one cache miss per n-gram instead of two.
  struct Bucket {
    std::int32_t row = -1;  // -1: never learned from
    float log_frequency = 0;
  };

  std::vector<Bucket> buckets_;      // (V)
  std::int32_t rows_used_ = 0;       // R
  std::vector<float> rows_;          // (R, M*d)
  std::vector<float> hidden_bias_;   // (M*d)
  std::vector<float> gate_weights_;  // (M, d, E): transposed, so scores run along E
  std::vector<float> gate_biases_;   // (M, E)
};

}  // namespace requip::router::detail

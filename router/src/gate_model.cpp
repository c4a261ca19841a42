#include "requip/router/gate_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

#include "gate_network.hpp"
#include "requip/moe/tensor_pack.hpp"
#include "routing_table.hpp"
#include "saved_tensor.hpp"

namespace requip::router {

using detail::Bags;
using detail::GateNetwork;
using detail::RoutingTable;

namespace {

// (B, E) logits with the skills outside the mask at -inf.
torch::Tensor masked(const torch::Tensor& logits, const torch::Tensor& mask) {
  return logits.masked_fill(mask.logical_not(), -std::numeric_limits<float>::infinity());
}

}  // namespace

struct GateModel::Impl {
  GateConfig config;
  Featurizer featurizer;
  std::unique_ptr<GateNetwork> network;
  std::vector<float> document_frequency;  // (V) how many learned texts hold each bucket
  double documents = 0;
  RoutingTable routing;  // a copy of the weights that routing reads

  explicit Impl(GateConfig c)
      : config(c), featurizer(c.features), routing(c.features.buckets, c.dim, c.members) {
    reset(1);
  }

  void reset(int experts) {
    network =
        std::make_unique<GateNetwork>(static_cast<int>(config.features.buckets), config.dim,
                                      config.members, experts, config.seed, config.learning_rate);
    document_frequency.assign(config.features.buckets, 0.0f);
    documents = 0;
    routing.copy_all(weights());
  }

  detail::GateWeights weights() const {
    detail::GateWeights result{network->table_data(),
                               document_frequency.data(),
                               documents,
                               network->hidden_bias_data(),
                               {},
                               {},
                               network->experts()};
    for (int m = 0; m < network->members(); ++m) {
      result.gate_weights.push_back(network->gate_weight_data(m));
      result.gate_biases.push_back(network->gate_bias_data(m));
    }
    return result;
  }

  float idf(std::int64_t bucket) const {
    return static_cast<float>(detail::inverse_document_frequency(
        std::log1p(documents),
        std::log1p(static_cast<double>(document_frequency[static_cast<std::size_t>(bucket)]))));
  }

  void count_document(const std::vector<std::int64_t>& ids) {
    std::vector<std::int64_t> unique = ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (auto id : unique)
      document_frequency[static_cast<std::size_t>(id)] += 1;
    documents += 1;
  }

  // TF-IDF weights of one text's n-gram occurrences, L2-normalised over the occurrences.
  void weigh(const std::vector<std::int64_t>& ids, std::vector<float>& weights) const {
    weights.resize(ids.size());
    float norm = 0;
    for (std::size_t j = 0; j < ids.size(); ++j) {
      weights[j] = idf(ids[j]);
      norm += weights[j] * weights[j];
    }
    const float scale = norm > 0 ? 1.0f / std::sqrt(norm) : 0.0f;
    for (auto& weight : weights)
      weight *= scale;
  }

  // A text's n-gram occurrences with their TF-IDF weights.
  struct WeighedText {
    std::vector<std::int64_t> ids;
    std::vector<float> weights;
  };

  WeighedText weighed(std::vector<std::int64_t> ids) const {
    WeighedText text{std::move(ids), {}};
    weigh(text.ids, text.weights);
    return text;
  }

  static Bags bags(const std::vector<const WeighedText*>& texts) {
    std::vector<std::int64_t> ids, offsets;
    std::vector<float> weights;
    for (const auto* text : texts) {
      offsets.push_back(static_cast<std::int64_t>(ids.size()));
      ids.insert(ids.end(), text->ids.begin(), text->ids.end());
      weights.insert(weights.end(), text->weights.begin(), text->weights.end());
    }
    return {torch::tensor(ids, torch::kInt64), torch::tensor(offsets, torch::kInt64),
            torch::tensor(weights, torch::kFloat32)};
  }

  torch::Tensor mask(const Mask& loaded) const {
    std::vector<std::uint8_t> bytes(loaded.begin(), loaded.end());
    return torch::tensor(bytes, torch::kUInt8).to(torch::kBool);
  }

  // The cold-start epochs over examples[usable], with the counts already taken.
  void fit(const std::vector<TrainingExample>& examples, std::vector<std::size_t>& usable,
           const torch::Tensor& mask, const Progress& progress) {
    const std::size_t batches =
        (usable.size() + static_cast<std::size_t>(config.batch_size) - 1) / config.batch_size;
    // The weights are fixed once the counts are: each example is featurized once, not per epoch.
    std::vector<WeighedText> weighed_examples(examples.size());
    for (auto i : usable)
      weighed_examples[i] = weighed(featurizer.features(examples[i].text));
    std::mt19937_64 shuffler(config.seed);
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      double loss_sum = 0;
      std::shuffle(usable.begin(), usable.end(), shuffler);
      for (std::size_t b = 0; b < batches; ++b) {
        // The learning rate decays linearly to nearly zero over the whole run.
        const double done =
            (epoch + static_cast<double>(b) / batches) / static_cast<double>(config.epochs);
        const double rate = config.learning_rate * std::max(0.02, 1.0 - done);
        std::vector<const WeighedText*> texts;
        std::vector<std::int64_t> targets;
        const std::size_t end =
            std::min(usable.size(), (b + 1) * static_cast<std::size_t>(config.batch_size));
        for (std::size_t i = b * config.batch_size; i < end; ++i) {
          texts.push_back(&weighed_examples[usable[i]]);
          targets.push_back(examples[usable[i]].expert);
        }
        const auto target = torch::tensor(targets);
        torch::Tensor loss = torch::zeros({});
        for (const auto& gate : network->forward(bags(texts), mask, config.dropout))
          loss = loss + torch::nn::functional::cross_entropy(masked(gate.logits, mask), target);
        network->step(loss, rate);
        loss_sum += loss.item<double>() / config.members;
      }
      if (progress) progress(epoch + 1, config.epochs, loss_sum / static_cast<double>(batches));
    }
  }
};

GateModel::GateModel(GateConfig config) : impl_(std::make_unique<Impl>(config)) {}
GateModel::GateModel(GateModel&&) noexcept = default;
GateModel& GateModel::operator=(GateModel&&) noexcept = default;
GateModel::~GateModel() = default;

const GateConfig& GateModel::config() const {
  return impl_->config;
}

int GateModel::experts() const {
  return impl_->network->experts();
}

void GateModel::grow(int experts) {
  impl_->network->grow(experts);
  impl_->routing.copy_rows(impl_->weights(), {});
}

void GateModel::train(const std::vector<TrainingExample>& examples, const Mask& loaded,
                      const Progress& progress) {
  auto& impl = *impl_;
  const int experts = std::max(this->experts(), static_cast<int>(loaded.size()));
  impl.reset(experts);
  std::vector<std::int64_t> ids;
  for (const auto& example : examples) {
    impl.featurizer.features(example.text, ids);
    impl.count_document(ids);
  }
  std::vector<std::size_t> usable;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const auto expert = static_cast<std::size_t>(examples[i].expert);
    if (expert < loaded.size() && loaded[expert]) usable.push_back(i);
  }
  if (!usable.empty()) impl.fit(examples, usable, impl.mask(loaded), progress);
  impl.routing.copy_all(impl.weights());
}

void GateModel::learn(std::string_view text, int expert, bool positive, const Mask& loaded) {
  auto& impl = *impl_;
  if (expert >= experts()) grow(expert + 1);
  auto ids = impl.featurizer.features(text);
  if (positive) impl.count_document(ids);
  const auto mask = impl.mask(loaded).index({torch::indexing::Slice(0, experts())});
  const auto features = impl.weighed(ids);
  const auto bags = Impl::bags({&features});
  torch::Tensor loss = torch::zeros({});
  for (const auto& gate : impl.network->forward(bags, mask, 0.0)) {
    auto log_probs = torch::log_softmax(masked(gate.logits, mask), 1)[0];  // (E)
    // A rejection pushes the probability of this row down: minimise -log(1 - p).
    loss = loss + (positive ? -log_probs[expert]
                            : -torch::log1p(-log_probs[expert].exp().clamp_max(1.0 - 1e-6)));
  }
  // A rejection says what the text is not, which is weak evidence about its n-grams: it moves
  // the gates only, so that a run of rejections cannot close the ReLUs for good.
  impl.network->step(loss, impl.config.learning_rate, positive);
  impl.routing.copy_rows(impl.weights(), positive ? ids : std::vector<std::int64_t>{});
}

float GateModel::probabilities(std::string_view text, const Mask& loaded,
                               std::vector<float>& out) const {
  thread_local std::vector<std::int64_t> ids;
  impl_->featurizer.features(text, ids);
  return impl_->routing.probabilities(ids, loaded, out);
}

std::vector<float> GateModel::probabilities_reference(std::string_view text,
                                                      const Mask& loaded) const {
  auto& impl = *impl_;
  c10::InferenceMode inference;
  Mask padded = loaded;
  padded.resize(static_cast<std::size_t>(experts()), false);
  const auto mask = impl.mask(padded);
  const auto features = impl.weighed(impl.featurizer.features(text));
  const auto bags = Impl::bags({&features});
  torch::Tensor sum = torch::zeros({experts()});
  for (const auto& gate : impl.network->forward(bags, mask, 0.0))
    sum += gate.probs[0];
  sum /= static_cast<double>(impl.network->members());
  return {sum.data_ptr<float>(), sum.data_ptr<float>() + sum.numel()};
}

std::string GateModel::save() const {
  const auto& impl = *impl_;
  const auto& config = impl.config;
  // load() reads the tensors by position, as blobs of LibTorch's format carried no names;
  // the names say what each one is to whoever inspects a blob.
  std::vector<moe::NamedTensor> named{
      {"shape", torch::tensor({static_cast<std::int64_t>(config.features.buckets),
                               static_cast<std::int64_t>(config.dim),
                               static_cast<std::int64_t>(config.members)})},
      {"documents", torch::tensor({impl.documents}, torch::kFloat64)},
      {"document_frequency", torch::tensor(impl.document_frequency)}};
  for (auto& tensor : impl.network->state())
    named.push_back({fmt::format("network.{}", named.size() - 3), std::move(tensor)});
  return moe::pack_tensors(named);
}

void GateModel::load(std::string_view bytes) {
  auto& impl = *impl_;
  const auto& config = impl.config;
  const auto unreadable = [] {
    return std::runtime_error(
        "gate model: the saved weights are unreadable; delete the blob to retrain");
  };
  std::vector<torch::Tensor> tensors;
  try {
    if (moe::is_torch_archive(bytes)) {  // written before tensor packs; the next save converts
      std::istringstream in{std::string(bytes)};
      torch::load(tensors, in);
    } else {
      for (auto& named : moe::unpack_tensors(bytes))
        tensors.push_back(std::move(named.tensor));
    }
  } catch (const std::exception&) {  // LibTorch throws more than c10::Error on bad archives
    throw unreadable();
  }
  if (tensors.size() < 3 || !tensors[0].defined() || tensors[0].scalar_type() != torch::kInt64 ||
      tensors[0].sizes() != torch::IntArrayRef{3}) {
    throw unreadable();
  }
  const auto shape = tensors[0];
  if (shape[0].item<std::int64_t>() != config.features.buckets ||
      shape[1].item<std::int64_t>() != config.dim ||
      shape[2].item<std::int64_t>() != static_cast<std::int64_t>(config.members)) {
    throw std::runtime_error(fmt::format(
        "gate model: saved weights have buckets {}, dim {}, members {}; this build expects {}, "
        "{}, {}; delete the blob to retrain",
        shape[0].item<std::int64_t>(), shape[1].item<std::int64_t>(), shape[2].item<std::int64_t>(),
        config.features.buckets, config.dim, config.members));
  }
  const auto& documents = tensors[1];
  const auto& frequency = tensors[2];
  detail::require_saved(
      detail::float_shaped(documents, {1}, torch::kFloat64) && documents.item<double>() >= 0,
      "document count");
  detail::require_saved(
      detail::float_shaped(frequency, {static_cast<std::int64_t>(config.features.buckets)}),
      "document frequencies");
  std::size_t next = 3;
  impl.network->set_state(tensors, next);  // checks the rest before it changes anything
  impl.documents = documents.item<double>();
  const auto contiguous = frequency.contiguous();
  impl.document_frequency.assign(contiguous.data_ptr<float>(),
                                 contiguous.data_ptr<float>() + contiguous.numel());
  impl.routing.copy_all(impl.weights());
}

}  // namespace requip::router

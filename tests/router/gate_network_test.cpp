#include <torch/torch.h>

#include <cmath>
#include <map>
#include <random>

#include "gate_network.hpp"
#include "requip/moe/top_k_gate.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::PackedArray;
using requip::router::detail::GateNetwork;
using requip::router::detail::Objective;
using requip::router::detail::SavedArrays;
using requip::router::detail::Text;

namespace {

constexpr int dim = 6, members = 2, experts = 4, rows = 30;

torch::Tensor tensor_of(const PackedArray& array) {
  const auto values = array.floats();
  return torch::tensor(values).reshape(array.sizes).clone();
}

std::map<std::string, torch::Tensor> tensors_of(const GateNetwork& network) {
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& array : network.state())
    tensors.emplace(array.name, tensor_of(array));
  return tensors;
}

// Texts of a few occurrences each, some of n-grams the gate never learned from.
std::vector<Text> random_texts(std::mt19937& random, int count) {
  std::uniform_int_distribution<int> row(-1, rows - 1), length(1, 6);
  std::uniform_real_distribution<float> weight(0.1f, 1.0f);
  std::vector<Text> texts(static_cast<std::size_t>(count));
  for (auto& text : texts) {
    for (int j = length(random); j > 0; --j)
      text.push_back({row(random), weight(random)});
  }
  return texts;
}

// A network that has learned something, so no weight is at its initial value.
GateNetwork trained_network() {
  GateNetwork network(dim, members, experts, 11);
  network.add_rows(rows);
  std::mt19937 random(5);
  const auto texts = random_texts(random, 24);
  for (int round = 0; round < 5; ++round) {
    for (std::size_t i = 0; i < texts.size(); ++i)
      network.step({&texts[i]}, {static_cast<int>(i % experts)}, std::vector<bool>(experts, true),
                   Objective::raise, 0.05, 0.0, true);
  }
  return network;
}

// The same network as torch modules: the table read by embedding_bag, then moe::TopKGate.
struct TorchGate {
  torch::Tensor table, hidden_bias;
  std::vector<requip::moe::TopKGate> gates;

  explicit TorchGate(const GateNetwork& network) {
    auto tensors = tensors_of(network);
    table = tensors.at("table").requires_grad_();
    hidden_bias = tensors.at("hidden_bias").requires_grad_();
    for (int m = 0; m < members; ++m) {
      requip::moe::TopKGate gate(dim, experts, 1, false);
      torch::NoGradGuard no_grad;
      gate->route_weight.copy_(tensors.at("gate_weights")[m].t());  // ours is (d, E)
      gate->route_bias.copy_(tensors.at("gate_biases")[m]);
      gates.push_back(gate);
    }
  }

  std::vector<requip::moe::GateOutput> forward(const std::vector<Text>& texts,
                                               const std::vector<bool>& allowed) {
    std::vector<std::int64_t> ids, offsets;
    std::vector<float> weights;
    for (const auto& text : texts) {
      offsets.push_back(static_cast<std::int64_t>(ids.size()));
      for (const auto& occurrence : text) {
        if (occurrence.row < 0) continue;  // a zero row
        ids.push_back(occurrence.row);
        weights.push_back(occurrence.weight);
      }
    }
    namespace F = torch::nn::functional;
    const auto sums = F::embedding_bag(torch::tensor(ids), table,
                                       F::EmbeddingBagFuncOptions()
                                           .offsets(torch::tensor(offsets))
                                           .mode(torch::kSum)
                                           .per_sample_weights(torch::tensor(weights)));
    const auto slices = torch::relu(sums + hidden_bias).split(dim, 1);
    std::vector<std::uint8_t> mask(allowed.begin(), allowed.end());
    std::vector<requip::moe::GateOutput> outputs;
    for (int m = 0; m < members; ++m) {
      gates[m]->set_expert_mask(torch::tensor(mask).to(torch::kBool));
      outputs.push_back(gates[m]->forward(slices[m]));
    }
    return outputs;
  }
};

void require_close(const torch::Tensor& ours, const torch::Tensor& theirs, const char* what) {
  INFO(what);
  REQUIRE(ours.sizes() == theirs.sizes());
  REQUIRE(torch::allclose(ours, theirs, 1e-4, 1e-6));
}

}  // namespace

TEST_CASE("gate network: scores what moe::TopKGate over an embedding bag scores",
          "[router][gate]") {
  const GateNetwork network = trained_network();
  TorchGate reference(network);
  std::mt19937 random(9);
  const auto texts = random_texts(random, 40);
  for (const std::vector<bool>& allowed :
       {std::vector<bool>(experts, true), std::vector<bool>{true, false, true, true},
        std::vector<bool>{false, true, false, false}}) {
    const auto outputs = reference.forward(texts, allowed);
    std::vector<float> probabilities;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      network.probabilities(texts[i], allowed, probabilities);
      torch::Tensor expected = torch::zeros({experts});
      for (const auto& output : outputs)
        expected += output.probs[static_cast<std::int64_t>(i)].detach() / members;
      require_close(torch::tensor(probabilities), expected, "probabilities");
    }
  }
}

TEST_CASE("gate network: with no skill of its own allowed, every probability is zero",
          "[router][gate]") {
  const GateNetwork network = trained_network();
  const Text text{{3, 0.5f}, {7, 0.5f}};
  std::vector<float> probabilities;
  for (const std::vector<bool>& allowed :
       {std::vector<bool>(experts, false), std::vector<bool>{false, false, false, false, true}}) {
    network.probabilities(text, allowed, probabilities);
    CHECK(probabilities == std::vector<float>(experts, 0.0f));
  }
}

TEST_CASE("gate network: a step follows the gradient autograd takes through moe::TopKGate",
          "[router][gate]") {
  // Adagrad's first step leaves each weight's squared gradient in its accumulator, and moves
  // the weight against the gradient's sign.
  const auto objective = GENERATE(Objective::raise, Objective::lower);
  GateNetwork network(dim, members, experts, 3);
  network.add_rows(rows);
  TorchGate reference(network);
  std::mt19937 random(13);
  const auto texts = random_texts(random, 3);
  const std::vector<int> targets{2, 0, 1};
  const std::vector<bool> allowed{true, true, true, false};

  torch::Tensor loss = torch::zeros({});
  const auto target = torch::tensor(std::vector<std::int64_t>(targets.begin(), targets.end()));
  for (const auto& output : reference.forward(texts, allowed)) {
    const auto logits = output.logits.masked_fill(torch::tensor({false, false, false, true}),
                                                  -std::numeric_limits<float>::infinity());
    if (objective == Objective::raise) {
      loss = loss + torch::nn::functional::cross_entropy(logits, target);
    } else {
      const auto p = torch::softmax(logits, 1).gather(1, target.unsqueeze(1));
      loss = loss - torch::log1p(-p).mean();
    }
  }
  loss.backward();
  const double expected_loss = loss.item<double>() / members;

  const auto before = tensors_of(network);
  std::vector<const Text*> batch{&texts[0], &texts[1], &texts[2]};
  const double reported = network.step(batch, targets, allowed, objective, 0.01, 0.0, true);
  CHECK(reported == Approx(expected_loss).epsilon(1e-4));
  const auto after = tensors_of(network);

  std::vector<torch::Tensor> weight_gradients, bias_gradients;
  for (const auto& gate : reference.gates) {
    weight_gradients.push_back(gate->route_weight.grad().t());
    bias_gradients.push_back(gate->route_bias.grad());
  }
  const auto weight_gradient = torch::stack(weight_gradients);
  const auto bias_gradient = torch::stack(bias_gradients);
  require_close(after.at("gate_weights_square"), weight_gradient.square(), "gate weights");
  require_close(after.at("gate_biases_square"), bias_gradient.square(), "gate biases");
  require_close(after.at("hidden_bias_square"), reference.hidden_bias.grad().square(),
                "hidden bias");
  // The table keeps one accumulator per row: the mean of its squared gradient.
  require_close(after.at("table_square"), reference.table.grad().square().mean(1), "table");

  const auto moved = (after.at("gate_weights") - before.at("gate_weights"));
  const auto pushed = moved * weight_gradient;
  CHECK(pushed.le(0).all().item<bool>());
  CHECK(pushed.lt(0).any().item<bool>());
}

TEST_CASE("gate network: a state that does not fit is refused and changes nothing",
          "[router][gate]") {
  GateNetwork network = trained_network();
  const auto saved = network.state();
  std::vector<float> before, after;
  const Text text{{3, 0.5f}, {7, 0.5f}};
  network.probabilities(text, std::vector<bool>(experts, true), before);
  const auto refused = [&](std::vector<PackedArray> arrays, const char* part) {
    CHECK_THROWS_WITH(network.set_state(SavedArrays(arrays), rows),
                      Catch::Contains(part) && Catch::Contains("delete the blob to retrain"));
    network.probabilities(text, std::vector<bool>(experts, true), after);
    CHECK(after == before);
  };
  auto state = saved;
  SECTION("a weight that is not a number") {
    auto weights = state[4].floats();
    weights[0] = std::nanf("");
    state[4] = PackedArray::of(state[4].name, weights, state[4].sizes);
    refused(state, "gate_weights");
  }
  SECTION("an accumulator of another shape than its weights") {
    state[5] = PackedArray::of(state[5].name, std::vector<float>(3), {3});
    refused(state, "gate_weights_square");
  }
  SECTION("no gate") {
    state.erase(state.begin() + 6);
    refused(state, "gate");
  }
  SECTION("a table of another width") {
    state[0] = PackedArray::of("table", std::vector<float>(rows), {rows, 1});
    refused(state, "table");
  }
  SECTION("and a state that fits is taken whole") {
    GateNetwork copy(dim, members, 1, 99);
    copy.set_state(SavedArrays(saved), rows);
    std::vector<float> copied;
    copy.probabilities(text, std::vector<bool>(experts, true), copied);
    CHECK(copied == before);
  }
}

// One rank of the distributed tests: the Catch2 cases start it once per rank with RANK,
// WORLD_SIZE, MASTER_ADDR and MASTER_PORT set (or alone, as the single-process reference),
// and read the one JSON line it prints. Exits 1 with the reason on standard error.
//
//   rank_worker losses DATA BATCH STEPS [--expert-parallel]
//       rank 0 prints {"losses": [...]}, the loss of each training step.
//   rank_worker moe-layer TOKENS_PER_RANK CAPACITY_FACTOR [MASKED_EXPERT...]
//       prints how far this rank's expert-parallel layer is from the single-process one.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <torch/utils.h>
#include <nlohmann/json.hpp>

#include "requip/moe/lm_trainer.hpp"
#include "requip/moe/process_group.hpp"
#include "requip/moe/sparse_moe.hpp"

namespace moe = requip::moe;

namespace {

std::shared_ptr<moe::ProcessGroup> join() {
  const moe::Rendezvous rendezvous = moe::Rendezvous::from_environment();
  if (rendezvous.world_size == 1) return nullptr;
  return std::make_shared<moe::ProcessGroup>(rendezvous);
}

int losses(const std::vector<std::string>& args) {
  moe::LmConfig model;
  model.block_size = 16;
  model.n_head = 2;
  model.n_layer = 2;
  // Dropout and gate noise would draw from each rank's own generator.
  model.dropout = 0;
  model.moe = {.d_model = 32, .d_hidden = 32, .experts = 4, .top_k = 2, .noisy_gate = false};
  moe::TrainConfig training;
  training.batch_size = std::stoll(args.at(1));
  training.steps = std::stoll(args.at(2));
  // The balance loss is a product of batch means: per-rank values do not average to the
  // whole batch's.
  training.aux_loss = 0;
  // Faster than the default, so that 20 steps move the loss visibly.
  training.learning_rate = 3e-3;
  training.expert_parallel = args.size() > 3 && args[3] == "--expert-parallel";
  const moe::CharCorpus corpus(args.at(0), model.block_size);
  model.vocab_size = corpus.vocab().size();
  const auto group = join();
  moe::LmTrainer trainer(model, training, corpus, group);
  std::vector<double> losses;
  for (std::int64_t step = 0; step < training.steps; ++step)
    losses.push_back(trainer.step());
  if (!group || group->rank() == 0) std::cout << nlohmann::json{{"losses", losses}} << '\n';
  return 0;
}

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return a.numel() == 0 ? 0.0 : (a - b).abs().max().item<double>();
}

int moe_layer(const std::vector<std::string>& args) {
  std::vector<std::int64_t> tokens;
  for (std::size_t from = 0, comma; from <= args.at(0).size(); from = comma + 1) {
    comma = std::min(args[0].find(',', from), args[0].size());
    tokens.push_back(std::stoll(args[0].substr(from, comma - from)));
  }
  const moe::MoeConfig config{.d_model = 16,
                              .d_hidden = 24,
                              .experts = 8,
                              .top_k = 2,
                              .noisy_gate = false,
                              .capacity_factor = std::stod(args.at(1)),
                              .dispatch = moe::Dispatch::grouped};
  auto build = [&] {
    torch::manual_seed(7);
    moe::SparseMoe layer(config);
    if (args.size() > 2) {
      auto mask = torch::ones({config.experts}, torch::kBool);
      for (std::size_t i = 2; i < args.size(); ++i)
        mask[std::stoll(args[i])] = false;
      layer->gate->set_expert_mask(mask);
    }
    return layer;
  };
  std::int64_t total = 0;
  for (std::int64_t n : tokens)
    total += n;
  torch::manual_seed(11);
  const torch::Tensor x = torch::randn({total, config.d_model});
  const torch::Tensor upstream = torch::randn({total, config.d_model});

  // Every rank computes the single-process layer on all the tokens, the rank order.
  moe::SparseMoe reference = build();
  const torch::Tensor x_all = x.clone().requires_grad_();
  const moe::MoeOutput expected = reference->forward(x_all);
  (expected.y * upstream).sum().backward();

  const auto group = join();
  const int rank = group->rank();
  if (static_cast<int>(tokens.size()) != group->world_size())
    throw std::invalid_argument("give one token count per rank");
  std::int64_t first = 0;
  for (int r = 0; r < rank; ++r)
    first += tokens[static_cast<std::size_t>(r)];
  const std::int64_t mine = tokens[static_cast<std::size_t>(rank)];
  moe::SparseMoe layer = build();
  layer->shard_experts(group);
  const torch::Tensor x_mine = x.narrow(0, first, mine).clone().requires_grad_();
  const torch::Tensor y = layer->forward(x_mine).y;
  (y * upstream.narrow(0, first, mine)).sum().backward();

  double gate_grad = 0;
  for (const auto& item : layer->gate->named_parameters()) {
    torch::Tensor summed = item.value().grad().clone();  // this rank's tokens' share
    group->allreduce_sum(summed);
    gate_grad = std::max(
        gate_grad, max_difference(summed, reference->gate->named_parameters()[item.key()].grad()));
  }
  const std::int64_t local = config.experts / group->world_size();
  double expert_grad = 0, expert_grad_norm = 0;
  for (const auto& item : layer->experts->named_parameters()) {
    const torch::Tensor grad = item.value().grad();
    const torch::Tensor whole = reference->experts->named_parameters()[item.key()].grad();
    expert_grad = std::max(expert_grad, max_difference(grad, whole.narrow(0, rank * local, local)));
    expert_grad_norm += grad.abs().sum().item<double>();
  }
  const std::int64_t dropped = static_cast<std::int64_t>(
      std::llround(expected.stats.dropped_fraction * static_cast<double>(total * config.top_k)));
  std::cout << nlohmann::json{{"forward", max_difference(y, expected.y.narrow(0, first, mine))},
                              {"input_grad",
                               max_difference(x_mine.grad(), x_all.grad().narrow(0, first, mine))},
                              {"gate_grad", gate_grad},
                              {"expert_grad", expert_grad},
                              {"expert_grad_norm", expert_grad_norm},
                              {"dropped_slots", dropped}}
            << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + std::min(argc, 2), argv + argc);
  const std::string scenario = argc > 1 ? argv[1] : "";
  try {
    if (scenario == "losses") return losses(args);
    if (scenario == "moe-layer") return moe_layer(args);
    std::cerr << "rank_worker: unknown scenario '" << scenario << "'\n";
  } catch (const std::exception& error) {
    std::cerr << "rank_worker: " << error.what() << '\n';
  }
  return 1;
}

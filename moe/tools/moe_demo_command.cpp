#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "moe_commands.hpp"
#include "moe_timing.hpp"
#include "requip/moe/sparse_moe.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct DemoOptions {
  std::string name;
  std::string text = "To be, or not to be, that is the question.";
  int threads = 2;
  int64_t seed = 1337;
};

// The seed's layer: n_embed 128, 8 experts of 4 * 128, top-2.
moe::MoeConfig seed_layer() {
  return moe::MoeConfig{};
}

std::string share_bar(double share, double full_scale) {
  return std::string(static_cast<std::size_t>(share / full_scale * 40 + 0.5), '#');
}

// One token through the gate: what the router said, what it kept, and who computed.
void demo_quick(const DemoOptions&) {
  moe::SparseMoe layer(seed_layer());
  layer->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({1, layer->config().d_model});  // (1, d)
  const auto gate = layer->gate->forward(x);
  fmt::print("one token (d={}) through a gate over {} experts, top-{}, eval mode (no noise)\n\n",
             layer->config().d_model, layer->config().experts, layer->config().top_k);
  fmt::print("{:>6} {:>9} {:>8}  {:<6} {:>8}\n", "expert", "logit", "prob", "top-k", "weight");
  torch::Tensor combined = torch::zeros_like(x);
  std::vector<std::string> terms;
  for (int64_t e = 0; e < layer->config().experts; ++e) {
    const auto kept = gate.indices[0].eq(e).nonzero();
    const bool picked = kept.numel() > 0;
    const double weight = picked ? gate.weights[0][kept.item<int64_t>()].item<double>() : 0;
    fmt::print("{:>6} {:>9.4f} {:>8.4f}  {:<6} {:>8}\n", e, gate.logits[0][e].item<double>(),
               gate.probs[0][e].item<double>(), picked ? "yes" : "",
               picked ? fmt::format("{:.4f}", weight) : "");
    if (picked) {
      combined += weight * layer->experts->expert(e, x);
      terms.push_back(fmt::format("{:.4f} * expert{}(x)", weight, e));
    }
  }
  const auto y = layer->forward(x).y;
  fmt::print("\nsoftmax over the kept logits only; the other {} experts never run.\n",
             layer->config().experts - layer->config().top_k);
  fmt::print("y = {}   (layer output differs from this sum by {:.1e})\n", fmt::join(terms, " + "),
             (y - combined).abs().max().item<double>());
}

// Which experts each character of a sentence took, and how the load spread.
void demo_activation(const DemoOptions& options) {
  if (options.text.empty()) throw std::invalid_argument("moe demo activation: --text is empty");
  moe::SparseMoe layer(seed_layer());
  layer->eval();
  torch::NoGradGuard no_grad;
  const int64_t d = layer->config().d_model;
  // A fixed random embedding per byte stands in for a trained model's hidden states.
  const auto embedding = torch::randn({256, d});
  std::vector<int64_t> bytes;
  for (const unsigned char c : options.text)
    bytes.push_back(c);
  const auto x = embedding.index_select(0, torch::tensor(bytes));  // (T, d)
  const auto gate = layer->gate->forward(x);
  const auto stats = layer->forward(x).stats;

  fmt::print(
      "untrained layer, fixed random character embedding: equal characters take equal "
      "experts\n\n{:>4} {:>5}  {}\n",
      "pos", "char", "experts (weight)");
  for (std::size_t t = 0; t < bytes.size(); ++t) {
    std::vector<std::string> picks;
    for (int64_t j = 0; j < layer->config().top_k; ++j)
      picks.push_back(fmt::format("{} ({:.2f})", gate.indices[t][j].item<int64_t>(),
                                  gate.weights[t][j].item<double>()));
    const char c = static_cast<char>(bytes[t]);
    fmt::print("{:>4} {:>5}  {}\n", t, c == ' ' ? std::string("' '") : std::string(1, c),
               fmt::join(picks, "  "));
  }
  fmt::print("\n{:>6} {:>6}  load\n", "expert", "share");
  for (std::size_t e = 0; e < stats.load.size(); ++e)
    fmt::print("{:>6} {:>6.3f}  {}\n", e, stats.load[e], share_bar(stats.load[e], 0.5));
  fmt::print(
      "\nmax/mean load {:.2f}, dead experts {}, router entropy {:.3f} nats (uniform: {:.3f})\n",
      stats.max_over_mean, stats.dead_experts, stats.entropy,
      std::log(static_cast<double>(layer->config().experts)));
}

// Parameters and forward speed of the MoE against dense FFNs matching its active or total size.
void demo_versus_dense(const DemoOptions& options) {
  const auto config = seed_layer();
  const int64_t tokens = 4096;
  moe::SparseMoe layer(config);
  auto same_flops = moe::dense_equivalent(config);
  moe::DenseFfn same_params(config.d_model, config.experts * config.d_hidden);
  const auto forward = [](auto& module) {
    return [&module](const at::Tensor& x) {
      torch::NoGradGuard no_grad;
      module->eval();
      module->forward(x);
    };
  };
  std::cerr << "moe demo versus-dense: timing ...\n";
  const auto speed = race_tokens_per_s({forward(layer), forward(same_flops), forward(same_params)},
                                       Race{tokens, config.d_model, 5, false});
  const auto moe_params = moe::count_parameters(config);
  const auto dense = [&](const moe::DenseFfn& ffn) {
    int64_t n = 0;
    for (const auto& p : ffn->parameters())
      n += p.numel();
    return n;
  };
  fmt::print("{} tokens, d={}, {} threads, forward, median of 5\n\n", tokens, config.d_model,
             options.threads);
  fmt::print("{:<34} {:>12} {:>14} {:>12} {:>9}\n", "layer", "params", "active/token", "tok/s",
             "vs MoE");
  const auto row = [&](const std::string& name, int64_t total, int64_t active, double tok_s) {
    fmt::print("{:<34} {:>12} {:>14} {:>12.0f} {:>8.2f}x\n", name, total, active, tok_s,
               tok_s / speed[0]);
  };
  row(fmt::format("MoE {} experts, top-{} (grouped)", config.experts, config.top_k),
      moe_params.total, moe_params.active, speed[0]);
  row(fmt::format("dense {}->{}->{} (same active)", config.d_model, config.top_k * config.d_hidden,
                  config.d_model),
      dense(same_flops), dense(same_flops), speed[1]);
  row(fmt::format("dense {}->{}->{} (same total)", config.d_model, config.experts * config.d_hidden,
                  config.d_model),
      dense(same_params), dense(same_params), speed[2]);
  fmt::print(
      "\nthe MoE holds {:.1f}x the weights of the dense layer with its active size, and "
      "runs {:.2f}x as fast as the dense layer of its total size.\n",
      static_cast<double>(moe_params.total) / static_cast<double>(dense(same_flops)),
      speed[0] / speed[2]);
}

// Total and active parameters and forward speed as the number of experts grows.
void demo_scaling(const DemoOptions& options) {
  const int64_t tokens = 4096;
  const std::vector<int64_t> expert_counts{2, 4, 8, 16, 32};
  std::vector<moe::SparseMoe> layers;
  std::vector<Contender> contenders;
  for (const int64_t experts : expert_counts) {
    auto config = seed_layer();
    config.experts = experts;
    layers.emplace_back(config);
  }
  for (auto& layer : layers) {
    layer->eval();
    contenders.push_back([&layer](const at::Tensor& x) {
      torch::NoGradGuard no_grad;
      layer->forward(x);
    });
  }
  std::cerr << "moe demo scaling: timing ...\n";
  const auto speed = race_tokens_per_s(contenders, Race{tokens, seed_layer().d_model, 5, false});
  fmt::print("{} tokens, d={}, experts of {}, top-{}, {} threads, forward, median of 5\n\n", tokens,
             seed_layer().d_model, seed_layer().d_hidden, seed_layer().top_k, options.threads);
  fmt::print("{:>7} {:>12} {:>14} {:>8} {:>12} {:>10}\n", "experts", "params", "active/token",
             "active", "tok/s", "vs E=2");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto count = moe::count_parameters(layers[i]->config());
    fmt::print("{:>7} {:>12} {:>14} {:>7.1f}% {:>12.0f} {:>9.2f}x\n", expert_counts[i], count.total,
               count.active,
               100.0 * static_cast<double>(count.active) / static_cast<double>(count.total),
               speed[i], speed[i] / speed[0]);
  }
  fmt::print("\ntotal parameters grow with the experts; the work per token stays that of top-{}.\n",
             seed_layer().top_k);
}

}  // namespace

void add_moe_command(CLI::App& app) {
  auto* moe = app.add_subcommand("moe", "look inside the sparse mixture-of-experts layer");
  moe->require_subcommand(1);
  auto* demo = moe->add_subcommand("demo", "print what a MoE layer does, as tables");
  auto options = std::make_shared<DemoOptions>();
  demo->add_option("name", options->name,
                   "quick: one token's gate; activation: experts per character; versus-dense: "
                   "params and speed against dense; scaling: growth with the expert count")
      ->required()
      ->check(CLI::IsMember({"quick", "activation", "versus-dense", "scaling"}));
  demo->add_option("--text", options->text, "sentence for the activation demo")
      ->capture_default_str();
  add_shared_option(*demo, SharedOption::threads, options->threads);
  add_shared_option(*demo, SharedOption::seed, options->seed);
  demo->callback([options] {
    use_threads(options->threads);
    torch::manual_seed(static_cast<uint64_t>(options->seed));
    if (options->name == "quick") demo_quick(*options);
    if (options->name == "activation") demo_activation(*options);
    if (options->name == "versus-dense") demo_versus_dense(*options);
    if (options->name == "scaling") demo_scaling(*options);
  });
}

}  // namespace requip::cli

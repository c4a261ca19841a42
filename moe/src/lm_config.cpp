#include "requip/moe/lm_config.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

namespace requip::moe {

namespace {

void require_positive(std::int64_t value, const char* name) {
  if (value <= 0) {
    throw std::invalid_argument(fmt::format("{} must be positive, got {}", name, value));
  }
}

template <typename T>
T field(const nlohmann::json& json, const char* name) {
  if (!json.contains(name)) throw std::invalid_argument(fmt::format("config lacks '{}'", name));
  const auto& value = json.at(name);
  // nlohmann turns a float into an integer with a plain cast, undefined out of range.
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!value.is_number_integer()) {
      throw std::invalid_argument(fmt::format("config field '{}' is not an integer", name));
    }
  }
  try {
    return value.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(fmt::format("config field '{}' has the wrong type", name));
  }
}

}  // namespace

void LmConfig::validate() const {
  require_positive(vocab_size, "vocab size");
  require_positive(block_size, "block size (--block)");
  require_positive(n_embed(), "embedding width (--embed)");
  require_positive(n_head, "head count (--heads)");
  require_positive(n_layer, "layer count (--layers)");
  require_positive(moe.d_hidden, "expert width (--expert-hidden)");
  require_positive(moe.experts, "expert count (--experts)");
  require_positive(moe.top_k, "top-k (--top-k)");
  if (n_embed() % n_head != 0) {
    throw std::invalid_argument(
        fmt::format("embedding width {} is not a multiple of the head count {}; pick --embed "
                    "divisible by --heads",
                    n_embed(), n_head));
  }
  if (moe.top_k > moe.experts) {
    throw std::invalid_argument(
        fmt::format("top-k {} exceeds the expert count {}; lower --top-k", moe.top_k, moe.experts));
  }
  if (dropout < 0 || dropout >= 1) {
    throw std::invalid_argument(fmt::format("dropout {} is outside [0, 1)", dropout));
  }
}

nlohmann::json to_json(const LmConfig& config) {
  return {{"vocab_size", config.vocab_size},
          {"block_size", config.block_size},
          {"n_embed", config.n_embed()},
          {"n_head", config.n_head},
          {"n_layer", config.n_layer},
          {"dropout", config.dropout},
          {"dense", config.dense},
          {"moe",
           {{"d_hidden", config.moe.d_hidden},
            {"experts", config.moe.experts},
            {"top_k", config.moe.top_k},
            {"noisy_gate", config.moe.noisy_gate},
            {"capacity_factor", config.moe.capacity_factor},
            {"expert_choice", config.moe.routing == Routing::expert_choice},
            {"shared_experts", config.moe.shared_experts},
            {"bias_balancing", config.moe.bias_balancing},
            {"bias_update_rate", config.moe.bias_update_rate}}}};
}

LmConfig lm_config_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("config is not a JSON object");
  LmConfig config;
  config.vocab_size = field<std::int64_t>(json, "vocab_size");
  config.block_size = field<std::int64_t>(json, "block_size");
  config.moe.d_model = field<std::int64_t>(json, "n_embed");
  config.n_head = field<std::int64_t>(json, "n_head");
  config.n_layer = field<std::int64_t>(json, "n_layer");
  config.dropout = field<double>(json, "dropout");
  config.dense = field<bool>(json, "dense");
  const auto moe = field<nlohmann::json>(json, "moe");
  config.moe.d_hidden = field<std::int64_t>(moe, "d_hidden");
  config.moe.experts = field<std::int64_t>(moe, "experts");
  config.moe.top_k = field<std::int64_t>(moe, "top_k");
  config.moe.noisy_gate = field<bool>(moe, "noisy_gate");
  config.moe.capacity_factor = field<double>(moe, "capacity_factor");
  config.moe.routing =
      field<bool>(moe, "expert_choice") ? Routing::expert_choice : Routing::token_choice;
  config.moe.shared_experts = field<std::int64_t>(moe, "shared_experts");
  config.moe.bias_balancing = field<bool>(moe, "bias_balancing");
  config.moe.bias_update_rate = field<double>(moe, "bias_update_rate");
  config.validate();
  return config;
}

}  // namespace requip::moe

#include "requip/moe/lm_checkpoint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <torch/serialize/input-archive.h>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "requip/moe/tensor_pack.hpp"

namespace requip::moe {

namespace {

// Archive keys cannot hold the '.' of nested parameter names.
std::string archive_key(std::string name) {
  std::replace(name.begin(), name.end(), '.', '/');
  return name;
}

// Every tensor a model is made of: parameters, then buffers.
std::vector<std::pair<std::string, torch::Tensor>> model_tensors(LanguageModel& model) {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& item : model->named_parameters())
    tensors.emplace_back(item.key(), item.value());
  for (const auto& item : model->named_buffers())
    tensors.emplace_back(item.key(), item.value());
  return tensors;
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& reason) {
  throw std::runtime_error(
      fmt::format("model file {} {}; train a new one with `requip train --out {}`", file.string(),
                  reason, file.string()));
}

// Bytes the weights of a model of this shape take at the least, in the narrowest type they
// may be stored in: the embeddings and every layer's experts. A file smaller than that cannot
// hold them, however it describes itself, so it is refused before a model that size is
// allocated.
double least_weight_bytes(const LmConfig& config) {
  const double width = static_cast<double>(config.n_embed());
  const double ffn = config.dense ? static_cast<double>(config.moe.top_k * config.moe.d_hidden)
                                  : static_cast<double>(config.moe.experts * config.moe.d_hidden);
  const double embeddings = static_cast<double>(config.vocab_size + config.block_size) * width;
  return 2.0 * (embeddings + static_cast<double>(config.n_layer) * 2.0 * width * ffn);
}

// The vocabulary's bytes. Each must be an integer from 0 to 255: nlohmann would cast any
// number to a byte, undefined for 799.1.
std::vector<std::uint8_t> vocab_symbols(const nlohmann::json& vocab) {
  if (!vocab.is_array()) throw std::invalid_argument("the vocabulary is not a list");
  std::vector<std::uint8_t> symbols;
  for (const auto& symbol : vocab) {
    if (!symbol.is_number_unsigned() || symbol.get<std::uint64_t>() > 255) {
      throw std::invalid_argument("the vocabulary holds something other than bytes 0 to 255");
    }
    symbols.push_back(static_cast<std::uint8_t>(symbol.get<std::uint64_t>()));
  }
  return symbols;
}

// What a model file holds: its config's JSON text and its tensors by archive key.
struct StoredModel {
  std::string config;
  std::map<std::string, torch::Tensor> tensors;
};

StoredModel read_torch_archive(const std::filesystem::path& file) {
  StoredModel stored;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    c10::IValue config;
    if (archive.try_read("config", config) && config.isString())
      stored.config = config.toStringRef();
    for (const auto& key : archive.keys()) {
      torch::Tensor tensor;
      if (key != "config" && archive.try_read(key, tensor)) stored.tensors.emplace(key, tensor);
    }
  } catch (const std::exception&) {  // LibTorch throws more than c10::Error on bad archives
    fail(file, "is truncated or not a requip checkpoint");
  }
  return stored;
}

StoredModel read_tensor_pack(const std::filesystem::path& file, std::string_view bytes) {
  StoredModel stored;
  try {
    for (auto& [name, tensor] : unpack_tensors(bytes)) {
      if (name == "config" && tensor.scalar_type() == torch::kUInt8) {
        stored.config.assign(static_cast<const char*>(tensor.data_ptr()),
                             static_cast<std::size_t>(tensor.numel()));
      } else {
        stored.tensors.insert_or_assign(name, tensor);
      }
    }
  } catch (const std::runtime_error&) {
    fail(file, "is truncated or not a requip checkpoint");
  }
  return stored;
}

StoredModel read_stored_model(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail(file, "cannot be read");
  // A LibTorch archive was written before tensor packs; saving the model again writes a pack.
  StoredModel stored =
      is_torch_archive(bytes) ? read_torch_archive(file) : read_tensor_pack(file, bytes);
  if (stored.config.empty()) fail(file, "has no config entry");
  return stored;
}

}  // namespace

void save_checkpoint(const std::filesystem::path& file, LanguageModel& model,
                     const CharVocab& vocab, torch::ScalarType weights) {
  if (!torch::isFloatingType(weights)) {
    throw std::invalid_argument(
        fmt::format("weights cannot be stored as {}; use float32, "
                    "float16 or bfloat16",
                    c10::toString(weights)));
  }
  const std::string config = nlohmann::json{
      {"format", "requip-lm"},
      {"version", 1},
      {"model", to_json(model->config())},
      {"vocab", vocab.symbols()}}.dump();
  std::vector<NamedTensor> tensors{
      {"config", torch::from_blob(const_cast<char*>(config.data()),
                                  {static_cast<std::int64_t>(config.size())}, torch::kUInt8)}};
  for (const auto& [name, tensor] : model_tensors(model)) {
    tensors.push_back(
        {archive_key(name), tensor.is_floating_point() ? tensor.detach().to(weights) : tensor});
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << pack_tensors(tensors);
  if (!out.flush())
    throw std::runtime_error(fmt::format("cannot write the model file {}", file.string()));
}

LmCheckpoint load_checkpoint(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) fail(file, "does not exist");
  const StoredModel stored = read_stored_model(file);

  LmCheckpoint checkpoint;
  try {
    const auto config = nlohmann::json::parse(stored.config);
    if (config.value("format", "") != "requip-lm") fail(file, "is not a requip language model");
    checkpoint.vocab = CharVocab(vocab_symbols(config.at("vocab")));
    LmConfig model_config = lm_config_from_json(config.at("model"));
    if (least_weight_bytes(model_config) > static_cast<double>(std::filesystem::file_size(file))) {
      fail(file, "describes a model larger than the file can hold");
    }
    if (model_config.vocab_size != checkpoint.vocab.size()) {
      fail(file, fmt::format("has a vocabulary of {} characters but a model for {}",
                             checkpoint.vocab.size(), model_config.vocab_size));
    }
    checkpoint.model = LanguageModel(model_config);
  } catch (const nlohmann::json::exception& error) {
    fail(file, fmt::format("has an unreadable config ({})", error.what()));
  } catch (const std::invalid_argument& error) {
    fail(file, fmt::format("has an invalid config ({})", error.what()));
  }

  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : model_tensors(checkpoint.model)) {
    const auto found = stored.tensors.find(archive_key(name));
    if (found == stored.tensors.end()) {
      fail(file, fmt::format("lacks the tensor '{}' its config needs", name));
    }
    const torch::Tensor& weights = found->second;
    const bool widened = weights.is_floating_point() && tensor.is_floating_point() &&
                         weights.element_size() <= tensor.element_size();
    if (weights.sizes() != tensor.sizes() ||
        (weights.scalar_type() != tensor.scalar_type() && !widened)) {
      fail(file, fmt::format("holds '{}' as {} {} where its config needs {} {}", name,
                             weights.sizes(), c10::toString(weights.scalar_type()), tensor.sizes(),
                             c10::toString(tensor.scalar_type())));
    }
    tensor.copy_(weights);
  }
  checkpoint.model->eval();
  return checkpoint;
}

}  // namespace requip::moe

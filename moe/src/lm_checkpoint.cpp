#include "requip/moe/lm_checkpoint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

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

}  // namespace

void save_checkpoint(const std::filesystem::path& file, LanguageModel& model,
                     const CharVocab& vocab) {
  const nlohmann::json config = {{"format", "requip-lm"},
                                 {"version", 1},
                                 {"model", to_json(model->config())},
                                 {"vocab", vocab.symbols()}};
  torch::serialize::OutputArchive archive;
  archive.write("config", c10::IValue(config.dump()));
  for (const auto& [name, tensor] : model_tensors(model)) {
    archive.write(archive_key(name), tensor.detach());
  }
  archive.save_to(file.string());
}

LmCheckpoint load_checkpoint(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) fail(file, "does not exist");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string());
  } catch (const c10::Error&) {
    fail(file, "is truncated or not a requip checkpoint");
  }

  LmCheckpoint checkpoint;
  try {
    c10::IValue text;
    if (!archive.try_read("config", text) || !text.isString()) fail(file, "has no config entry");
    const auto config = nlohmann::json::parse(text.toStringRef());
    if (config.value("format", "") != "requip-lm") fail(file, "is not a requip language model");
    checkpoint.vocab = CharVocab(config.at("vocab").get<std::vector<std::uint8_t>>());
    LmConfig model_config = lm_config_from_json(config.at("model"));
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
    torch::Tensor stored;
    bool found = false;
    try {
      found = archive.try_read(archive_key(name), stored);
    } catch (const c10::Error&) {
      fail(file, fmt::format("has an unreadable tensor '{}'", name));
    }
    if (!found) fail(file, fmt::format("lacks the tensor '{}' its config needs", name));
    if (stored.sizes() != tensor.sizes() || stored.scalar_type() != tensor.scalar_type()) {
      fail(file, fmt::format("holds '{}' as {} {} where its config needs {} {}", name,
                             stored.sizes(), c10::toString(stored.scalar_type()), tensor.sizes(),
                             c10::toString(tensor.scalar_type())));
    }
    tensor.copy_(stored);
  }
  checkpoint.model->eval();
  return checkpoint;
}

}  // namespace requip::moe

#include <torch/serialize/output-archive.h>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lm_fixtures.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/tensor_pack.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

namespace {

moe::CharVocab abc_vocab() {
  return moe::CharVocab::of_text("abcdefgh \n");
}

moe::LanguageModel tiny_model() {
  torch::manual_seed(7);
  return moe::LanguageModel(test::tiny_lm_config(abc_vocab().size()));
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string load_error(const std::filesystem::path& file) {
  try {
    moe::load_checkpoint(file);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("lm checkpoint: a round trip is bit-exact", "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  moe::save_checkpoint(dir / "model.pt", model, abc_vocab());
  moe::LmCheckpoint loaded = moe::load_checkpoint(dir / "model.pt");

  CHECK(moe::to_json(loaded.model->config()) == moe::to_json(model->config()));
  CHECK(loaded.vocab.symbols() == abc_vocab().symbols());
  const auto original = model->named_parameters();
  const auto restored = loaded.model->named_parameters();
  REQUIRE(original.size() == restored.size());
  for (const auto& item : original) {
    INFO(item.key());
    CHECK(torch::equal(item.value(), restored[item.key()]));
  }
  model->eval();
  const torch::Tensor idx = torch::tensor({{0, 3, 5, 7, 1}}, torch::kInt64);
  CHECK(torch::equal(model->forward(idx).logits, loaded.model->forward(idx).logits));
}

TEST_CASE("lm checkpoint: damaged files give one line naming the file and the fix",
          "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  moe::save_checkpoint(dir / "model.pt", model, abc_vocab());
  const std::string bytes = read_bytes(dir / "model.pt");

  SECTION("missing") {
    const std::string error = load_error(dir / "absent.pt");
    CHECK_THAT(error, Catch::Contains("absent.pt does not exist"));
    CHECK_THAT(error, Catch::Contains("requip train --out"));
  }
  SECTION("truncated") {
    test::write_file(dir / "cut.pt", bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(load_error(dir / "cut.pt"), Catch::Contains("cut.pt is truncated or not a requip"));
  }
  SECTION("garbage") {
    test::write_file(dir / "junk.pt", std::string(4096, 'x'));
    CHECK_THAT(load_error(dir / "junk.pt"), Catch::Contains("junk.pt is truncated or not"));
  }
  SECTION("one line") {
    test::write_file(dir / "junk.pt", "not a model");
    CHECK(load_error(dir / "junk.pt").find('\n') == std::string::npos);
  }
}

namespace {

// A model file as LibTorch archives held it before tensor packs: the config, then the
// weights.
void save_as_torch_archive(const std::filesystem::path& file, moe::LanguageModel& model,
                           const moe::LmConfig& claimed) {
  const nlohmann::json config = {{"format", "requip-lm"},
                                 {"version", 1},
                                 {"model", moe::to_json(claimed)},
                                 {"vocab", abc_vocab().symbols()}};
  torch::serialize::OutputArchive archive;
  archive.write("config", c10::IValue(config.dump()));
  for (const auto& item : model->named_parameters()) {
    std::string key = item.key();
    std::replace(key.begin(), key.end(), '.', '/');
    archive.write(key, item.value().detach());
  }
  for (const auto& item : model->named_buffers()) {
    std::string key = item.key();
    std::replace(key.begin(), key.end(), '.', '/');
    archive.write(key, item.value().detach());
  }
  archive.save_to(file.string());
}

}  // namespace

TEST_CASE("lm checkpoint: weights that do not match their config are refused",
          "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  moe::LmConfig claimed = model->config();
  claimed.moe.d_model = 16;  // the weights are 32 wide
  save_as_torch_archive(dir / "mismatch.pt", model, claimed);

  const std::string error = load_error(dir / "mismatch.pt");
  CHECK_THAT(error, Catch::Contains("mismatch.pt holds 'token_embedding.weight' as [10, 32]"));
  CHECK_THAT(error, Catch::Contains("needs [10, 16]"));
}

TEST_CASE("lm checkpoint: one saved as a LibTorch archive, before tensor packs, still loads",
          "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  save_as_torch_archive(dir / "old.pt", model, model->config());
  REQUIRE(moe::is_torch_archive(read_bytes(dir / "old.pt")));

  moe::LmCheckpoint loaded = moe::load_checkpoint(dir / "old.pt");
  for (const auto& item : model->named_parameters()) {
    INFO(item.key());
    CHECK(torch::equal(item.value(), loaded.model->named_parameters()[item.key()]));
  }
  moe::save_checkpoint(dir / "old.pt", loaded.model, loaded.vocab);
  CHECK_FALSE(moe::is_torch_archive(read_bytes(dir / "old.pt")));
}

TEST_CASE(
    "lm checkpoint: a file that describes a model larger than itself is refused before "
    "the model is made",
    "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  moe::LmConfig claimed = model->config();
  claimed.n_layer = 1'000'000;  // terabytes of weights, in a file of kilobytes
  const std::string config = nlohmann::json{
      {"format", "requip-lm"},
      {"version", 1},
      {"model", moe::to_json(claimed)},
      {"vocab",
       abc_vocab().symbols()}}.dump();
  test::write_file(
      dir / "claims.pt",
      moe::pack_tensors(
          {{"config", torch::tensor(std::vector<std::uint8_t>(config.begin(), config.end()))}}));
  CHECK_THAT(load_error(dir / "claims.pt"),
             Catch::Contains("claims.pt describes a model larger than the file can hold"));
}

TEST_CASE("lm checkpoint: a vocabulary of anything but bytes 0 to 255 is refused, never cast",
          "[moe][lm][checkpoint]") {
  test::TempDir dir;
  moe::LanguageModel model = tiny_model();
  for (const auto& vocab : {nlohmann::json{97, 98, 799.1}, nlohmann::json{97, 256},
                            nlohmann::json{97, -1}, nlohmann::json("abc")}) {
    INFO(vocab.dump());
    const std::string config = nlohmann::json{
        {"format", "requip-lm"},
        {"version", 1},
        {"model", moe::to_json(model->config())},
        {"vocab", vocab}}.dump();
    test::write_file(
        dir / "vocab.pt",
        moe::pack_tensors(
            {{"config", torch::tensor(std::vector<std::uint8_t>(config.begin(), config.end()))}}));
    CHECK_THAT(load_error(dir / "vocab.pt"), Catch::Contains("vocab.pt has an invalid config"));
  }
}

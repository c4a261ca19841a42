#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "requip/core/array_pack.hpp"
#include "requip/router/gate_model.hpp"
#include "requip/router/word_vectors.hpp"
#include "synthetic_skills.hpp"
#include "temp_dir.hpp"

using namespace requip::router;

namespace {

// The bytes script/vendor-word-vectors writes, for words of dims int8 components each.
std::string vector_file(const std::vector<std::pair<std::string, std::vector<std::int8_t>>>& rows,
                        std::uint32_t dims, float scale) {
  std::string bytes = "requip word vectors 1\n";
  const auto put = [&](const auto& value) {
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(value));
  };
  put(static_cast<std::uint32_t>(rows.size()));
  put(dims);
  for (const auto& [word, components] : rows) {
    put(static_cast<std::uint8_t>(word.size()));
    bytes += word;
    put(scale);
    for (const auto c : components)
      put(c);
  }
  return bytes;
}

// Near words share a direction: "buy" and "purchase", "song" and "tune".
std::shared_ptr<const WordVectors> shopping_and_music() {
  return std::make_shared<const WordVectors>(
      std::vector<std::string>{"buy", "purchase", "ticket", "play", "song", "tune"},
      std::vector<float>{1, 0, 0, 0, 0.95f, 0.05f, 0, 0, 0.7f, 0,     0.3f, 0,
                         0, 1, 0, 0, 0,     0,     0, 1, 0,    0.05f, 0,    0.95f},
      4);
}

}  // namespace

TEST_CASE("word vectors: a text's vector is the normalised mean of its known words' vectors",
          "[router][vectors]") {
  const auto vectors = shopping_and_music();
  std::vector<float> out;
  REQUIRE(vectors->text_vector("Buy, PLAY and something unknown", out));
  REQUIRE(out.size() == 4);
  CHECK(out[0] == Approx(1 / std::sqrt(2.0f)));
  CHECK(out[1] == Approx(1 / std::sqrt(2.0f)));
  CHECK(out[2] == Approx(0.0f));
}

TEST_CASE("word vectors: a word unknown whole is read without what follows its apostrophe",
          "[router][vectors]") {
  const auto vectors = shopping_and_music();
  std::vector<float> whole, clipped;
  REQUIRE(vectors->text_vector("buy", whole));
  REQUIRE(vectors->text_vector("buy's", clipped));
  CHECK(clipped == whole);
}

TEST_CASE("word vectors: a text with no known word has no vector", "[router][vectors]") {
  std::vector<float> out{7};
  CHECK_FALSE(shopping_and_music()->text_vector("qqq zzz", out));
  CHECK_FALSE(shopping_and_music()->text_vector("", out));
  CHECK(out == std::vector<float>{7});
}

TEST_CASE("word vectors: a file in the vendored format reads back its words and components",
          "[router][vectors]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "vectors.bin", std::ios::binary)
      << vector_file({{"rain", {127, 0}}, {"snow", {0, -127}}}, 2, 0.5f);
  const auto vectors = WordVectors::load(dir / "vectors.bin");
  CHECK(vectors->size() == 2);
  CHECK(vectors->dims() == 2);
  CHECK_THAT(vectors->identity(), Catch::Contains("vectors.bin") && Catch::Contains("2 words"));
  std::vector<float> out;
  REQUIRE(vectors->text_vector("snow", out));
  CHECK(out == std::vector<float>{0, -1});
}

TEST_CASE("word vectors: a damaged file is one line naming it and the fix", "[router][vectors]") {
  requip::test::TempDir dir;
  const std::string good = vector_file({{"rain", {1, 2}}, {"snow", {3, 4}}}, 2, 0.5f);
  const auto [damage, bytes] = GENERATE_REF(table<std::string, std::string>({
      {"is truncated", good.substr(0, good.size() - 1)},
      {"is not a word-vector file", "text\tintent\n"},
      {"has bytes after its last word", good + "x"},
      {"has an impossible header", vector_file({}, 0, 1)},
  }));
  std::ofstream(dir / "vectors.bin", std::ios::binary) << bytes;
  try {
    WordVectors::load(dir / "vectors.bin");
    FAIL("the damaged file was read");
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("vectors.bin") && Catch::Contains(damage) &&
                            Catch::Contains("script/vendor-word-vectors"));
    CHECK(std::count(message.begin(), message.end(), '\n') == 0);
  }
}

TEST_CASE("word vectors: the vendored file loads", "[router][vectors]") {
  const auto vectors = WordVectors::load(REQUIP_SOURCE_DATA_DIR "/word_vectors.bin");
  CHECK(vectors->size() >= 10000);
  std::vector<float> out;
  CHECK(vectors->text_vector("set an alarm for tomorrow", out));
}

TEST_CASE("gate model: with word vectors, a word no example held routes by its neighbours",
          "[router][vectors][gate]") {
  GateConfig config = requip::test::small_gate();
  config.word_vectors = shopping_and_music();
  GateModel model(config);
  const GateModel::Mask loaded(2, true);
  model.train({{"buy a ticket", 0}, {"buy tickets", 0}, {"play a song", 1}, {"play songs", 1}},
              loaded);
  std::vector<float> probabilities;
  model.probabilities("purchase", loaded, probabilities);
  CHECK(probabilities[0] > probabilities[1]);
  model.probabilities("tune", loaded, probabilities);
  CHECK(probabilities[1] > probabilities[0]);
}

TEST_CASE("gate model: a gate saved with word vectors loads into one with the same vectors only",
          "[router][vectors][gate]") {
  GateConfig with = requip::test::small_gate();
  with.word_vectors = shopping_and_music();
  GateModel model(with);
  model.train(requip::test::synthetic_examples(), GateModel::Mask(4, true));
  GateModel without(requip::test::small_gate());
  CHECK_THROWS_WITH(without.load(model.save()), Catch::Contains("word_vectors"));
  SECTION("nor one saved before word vectors into one with them") {
    auto arrays = requip::unpack_arrays(GateModel(requip::test::small_gate()).save());
    arrays.erase(std::remove_if(arrays.begin(), arrays.end(),
                                [](const auto& array) { return array.name == "word_vectors"; }),
                 arrays.end());
    CHECK_THROWS_WITH(GateModel(with).load(requip::pack_arrays(arrays)),
                      Catch::Contains("predate the word vectors") && Catch::Contains("rebuilt"));
  }
  GateModel same(with);
  same.load(model.save());
  std::vector<float> saved, loaded;
  model.probabilities("will it rain", GateModel::Mask(4, true), saved);
  same.probabilities("will it rain", GateModel::Mask(4, true), loaded);
  CHECK(loaded == saved);
}

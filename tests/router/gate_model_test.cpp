#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "requip/core/array_pack.hpp"
#include "requip/router/featurizer.hpp"
#include "requip/router/gate_model.hpp"
#include "synthetic_skills.hpp"

using namespace requip::router;

namespace {
GateModel trained(const GateModel::Mask& loaded) {
  GateModel model(requip::test::small_gate());
  model.train(requip::test::synthetic_examples(), loaded);
  return model;
}
}  // namespace

TEST_CASE("gate model: learns the examples and unseen text is unknown", "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  std::vector<float> probabilities;
  model.probabilities("is it going to rain", GateModel::Mask(4, true), probabilities);
  CHECK(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin() == 0);
  CHECK(model.probabilities("qqqq zzzz", GateModel::Mask(4, true), probabilities) < 0.1f);
  CHECK(model.probabilities("set an alarm", GateModel::Mask(4, true), probabilities) > 0.5f);
}

TEST_CASE("gate model: too few examples to hold out leave the confidence uncalibrated",
          "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  CHECK(model.confidence(0.8f, 0.5f, 0.3) == Approx(0.4f));
}

TEST_CASE(
    "gate model: with examples enough to hold out, the confidence is calibrated: 0 and 1 stay, "
    "order is kept, and text unlike every skill falls below the threshold",
    "[router][gate]") {
  // 4 skills x 150 examples: every fifth is held out of a first training to calibrate.
  const std::vector<std::vector<std::string>> words{
      {"weather", "rain", "sunny", "forecast", "cold"},
      {"alarm", "wake", "timer", "snooze", "clock"},
      {"music", "song", "jazz", "radio", "playlist"},
      {"news", "headlines", "sports", "politics", "story"}};
  const std::vector<std::string> frames{
      "what about the {}", "tell me the {} please", "{} now", "is there {} {}",
      "i want {} and {}",  "show {} for today",     "any {}", "{} {} tomorrow"};
  std::vector<TrainingExample> examples;
  for (int skill = 0; skill < 4; ++skill) {
    for (std::size_t i = 0; i < 150; ++i) {
      const auto& own = words[static_cast<std::size_t>(skill)];
      examples.push_back(
          {fmt::format(fmt::runtime(frames[i % frames.size()]), own[i % 5], own[(i / 5 + 1) % 5]),
           skill});
    }
  }
  GateModel model(requip::test::small_gate());
  const GateModel::Mask all(4, true);
  model.train(examples, all);
  CHECK(model.confidence(0.0f, 0.7f, 0.3) == 0.0f);
  CHECK(model.confidence(1.0f, 1.0f, 0.3) == Approx(1.0f));
  CHECK(model.confidence(0.5f, 0.6f, 0.3) < model.confidence(0.6f, 0.6f, 0.3));
  CHECK(model.confidence(0.8f, 0.5f, 0.3) != Approx(0.4f));  // calibrated, not the plain product

  std::vector<float> probabilities;
  const auto confidence = [&](std::string_view text) {
    const float support = model.probabilities(text, all, probabilities);
    return model.confidence(*std::max_element(probabilities.begin(), probabilities.end()), support,
                            0.3);
  };
  CHECK(confidence("tell me the jazz please") >= 0.3f);
  CHECK(confidence("qqqq zzzz xxxx") < 0.3f);
}

TEST_CASE("gate model: feedback moves a row up or down", "[router][gate]") {
  GateModel model = trained(GateModel::Mask(4, true));
  const GateModel::Mask all(4, true);
  std::vector<float> before, after;
  model.probabilities("play the radio", all, before);
  model.learn("play the radio", 2, true, all);
  model.probabilities("play the radio", all, after);
  CHECK(after[2] > before[2]);
  model.learn("play the radio", 2, false, all);
  model.probabilities("play the radio", all, before);
  CHECK(before[2] < after[2]);
}

TEST_CASE("gate model: saved weights load into a new model that answers the same",
          "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  GateModel copy(requip::test::small_gate());
  copy.load(model.save());
  std::vector<float> a, b;
  model.probabilities("set an alarm", GateModel::Mask(4, true), a);
  copy.probabilities("set an alarm", GateModel::Mask(4, true), b);
  CHECK(a == b);
  CHECK_THROWS_WITH(copy.load("not weights"), Catch::Contains("unreadable"));
}

TEST_CASE("gate model: a blob of an earlier layout is refused, so that the router retrains",
          "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  auto arrays = requip::unpack_arrays(model.save());
  GateModel copy(requip::test::small_gate());
  SECTION("the hashed-bucket table") {
    arrays.erase(arrays.begin());  // what tells the layouts apart
    arrays.insert(arrays.begin(),
                  requip::PackedArray::of("shape", std::vector<std::int64_t>{1 << 18, 16, 2}, {3}));
    CHECK_THROWS_WITH(copy.load(requip::pack_arrays(arrays)),
                      Catch::Contains("older hashed layout") && Catch::Contains("rebuilt"));
  }
  SECTION("saved before the confidence was calibrated") {
    arrays.erase(std::remove_if(arrays.begin(), arrays.end(),
                                [](const auto& array) { return array.name == "doubt_point"; }),
                 arrays.end());
    CHECK_THROWS_WITH(copy.load(requip::pack_arrays(arrays)),
                      Catch::Contains("calibrated confidence") && Catch::Contains("rebuilt"));
  }
}

TEST_CASE("gate model: its table has a row per n-gram it learned from, and grows with feedback",
          "[router][gate]") {
  GateModel model = trained(GateModel::Mask(4, true));
  const requip::router::Featurizer featurizer;
  std::set<std::uint64_t> learned;
  for (const auto& example : requip::test::synthetic_examples()) {
    for (const auto hash : featurizer.features(example.text))
      learned.insert(hash);
  }
  CHECK(model.ngrams() == static_cast<std::int32_t>(learned.size()));
  model.learn("zebra crossing", 1, true, GateModel::Mask(4, true));
  CHECK(model.ngrams() > static_cast<std::int32_t>(learned.size()));
  const auto grown = model.ngrams();
  model.learn("unicorn stampede", 1, false, GateModel::Mask(4, true));
  CHECK(model.ngrams() == grown);  // a rejection teaches no n-gram
}

TEST_CASE(
    "gate model: a blob whose tensors do not fit the gate is refused, and the gate "
    "keeps what it knew",
    "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  GateModel kept = trained(GateModel::Mask(4, true));
  const GateModel::Mask all(4, true);
  std::vector<float> before;
  kept.probabilities("play the radio", all, before);
  auto saved = requip::unpack_arrays(model.save());
  const auto refused = [&](std::vector<requip::PackedArray> arrays) {
    CHECK_THROWS_WITH(kept.load(requip::pack_arrays(arrays)),
                      Catch::Contains("delete the blob to retrain"));
    std::vector<float> after;
    kept.probabilities("play the radio", all, after);
    CHECK(after == before);
  };
  const auto replaced = [&](const std::string& name, requip::PackedArray array) {
    for (auto& entry : saved) {
      if (entry.name == name) entry = std::move(array);
    }
    return saved;
  };

  SECTION("document frequencies fewer than the n-grams") {
    refused(
        replaced("document_frequency",
                 requip::PackedArray::of("document_frequency", std::vector<float>{1, 1, 1}, {3})));
  }
  SECTION("an n-gram twice") {
    const auto ngrams = saved[2].int64s();
    auto twice = ngrams;
    twice[1] = twice[0];
    refused(replaced("ngrams", requip::PackedArray::of("ngrams", twice, saved[2].sizes)));
  }
  SECTION("weights of another type") {
    auto table = saved[4];
    table.type = requip::ElementType::float64;
    table.bytes += table.bytes;
    refused(replaced("table", table));
  }
  SECTION("weights that are not numbers") {
    auto biases = saved[6].floats();
    biases[0] = std::nanf("");
    refused(
        replaced("hidden_bias", requip::PackedArray::of("hidden_bias", biases, saved[6].sizes)));
  }
  SECTION("an array missing") {
    saved.erase(std::find_if(saved.begin(), saved.end(),
                             [](const auto& array) { return array.name == "gate_biases_square"; }));
    refused(saved);
  }
  SECTION("no tensors at all") {
    refused({});
  }
}

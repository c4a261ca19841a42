#include <catch2/catch.hpp>

#include <algorithm>

#include "requip/router/featurizer.hpp"

using namespace requip::router;

TEST_CASE("featurizer: words are lowercase runs of letters, digits and apostrophes",
          "[router][featurizer]") {
  CHECK(words("What's the WEATHER, today?") ==
        std::vector<std::string>{"what's", "the", "weather", "today"});
  CHECK(normalize("  Set an   alarm! ") == "set an alarm");
}

TEST_CASE("featurizer: word 1-2-grams and char 3-5-grams with boundary markers",
          "[router][featurizer]") {
  Featurizer featurizer;
  const auto grams = featurizer.ngrams("Hi Bob");
  const auto has = [&](const std::string& gram) {
    return std::find(grams.begin(), grams.end(), gram) != grams.end();
  };
  CHECK(has("hi"));
  CHECK(has("bob"));
  CHECK(has("hi bob"));
  CHECK(has("<hi>"));
  CHECK(has("<bo"));
  CHECK(has("<bob"));
  CHECK(has("<bob>"));
  CHECK(has("ob>"));
  CHECK_FALSE(has("i b"));  // char n-grams never cross words
  // "hi", "bob", "hi bob"; "<hi>" gives 1 + 2 + 1... counted: 3-grams 2, 4-grams 1 -> 3;
  // "<bob>" gives 3 + 2 + 1 = 6.
  CHECK(grams.size() == 3 + 3 + 6);
}

TEST_CASE("featurizer: every n-gram is hashed into the configured buckets, deterministically",
          "[router][featurizer]") {
  Featurizer featurizer(FeaturizerConfig{64, 2, 3, 5});
  const auto ids = featurizer.features("set an alarm for seven");
  CHECK(ids.size() == featurizer.ngrams("set an alarm for seven").size());
  CHECK(std::all_of(ids.begin(), ids.end(), [](auto id) { return id >= 0 && id < 64; }));
  CHECK(featurizer.features("Set an ALARM for seven!") == ids);
  CHECK(featurizer.features("play some jazz") != ids);
}

TEST_CASE("featurizer: a bad config is refused", "[router][featurizer]") {
  CHECK_THROWS_WITH(Featurizer(FeaturizerConfig{0, 2, 3, 5}), Catch::Contains("buckets"));
  CHECK_THROWS(Featurizer(FeaturizerConfig{64, 2, 5, 3}));
}

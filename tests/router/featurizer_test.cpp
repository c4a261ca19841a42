#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "requip/router/featurizer.hpp"

using namespace requip::router;

TEST_CASE("featurizer: words are lowercase runs of letters, digits and apostrophes",
          "[router][featurizer]") {
  CHECK(words("What's the WEATHER, today?") ==
        std::vector<std::string>{"what's", "the", "weather", "today"});
  CHECK(normalize("  Set an   alarm! ") == "set an alarm");
}

TEST_CASE("featurizer: word 1-2-grams with the text's edges, char 3-5-grams with word markers",
          "[router][featurizer]") {
  Featurizer featurizer;
  const auto grams = featurizer.ngrams("Hi Bob");
  const auto has = [&](const std::string& gram) {
    return std::find(grams.begin(), grams.end(), gram) != grams.end();
  };
  CHECK(has("hi"));
  CHECK(has("bob"));
  CHECK(has("hi bob"));
  CHECK(has("<s> hi"));    // how the text opens
  CHECK(has("bob </s>"));  // and how it ends
  CHECK(has("<hi>"));
  CHECK(has("<bo"));
  CHECK(has("<bob"));
  CHECK(has("<bob>"));
  CHECK(has("ob>"));
  CHECK_FALSE(has("i b"));  // char n-grams never cross words
  // "hi", "bob", "<s> hi", "hi bob", "bob </s>"; "<hi>" gives 3-grams 2, 4-grams 1 -> 3;
  // "<bob>" gives 3 + 2 + 1 = 6.
  CHECK(grams.size() == 5 + 3 + 6);
}

TEST_CASE("featurizer: every n-gram occurrence is hashed, the same n-gram to the same hash",
          "[router][featurizer]") {
  Featurizer featurizer;
  const auto ids = featurizer.features("set an alarm for seven");
  CHECK(ids.size() == featurizer.ngrams("set an alarm for seven").size());
  CHECK(featurizer.features("Set an ALARM for seven!") == ids);
  CHECK(featurizer.features("play some jazz") != ids);
  // "alarm" and "alarm clock" share the word "alarm", and the hash of its occurrence.
  CHECK(featurizer.features("alarm clock")[0] == featurizer.features("alarm")[0]);
  // The word "abc" and the character 3-gram "abc" are different n-grams.
  const auto abc = featurizer.features("abc");
  CHECK(std::set<std::uint64_t>(abc.begin(), abc.end()).size() == abc.size());
}

TEST_CASE("featurizer: a hash says whether it is a word n-gram or a character n-gram",
          "[router][featurizer]") {
  Featurizer featurizer;
  const auto grams = featurizer.ngrams("set an alarm");
  const auto hashes = featurizer.features("set an alarm");
  REQUIRE(grams.size() == hashes.size());
  const std::set<std::string> word_grams{"set",    "an",       "alarm",     "<s> set",
                                         "set an", "an alarm", "alarm </s>"};
  std::size_t words_seen = 0;
  for (std::size_t i = 0; i < grams.size(); ++i) {
    INFO(grams[i]);
    if (!is_word_ngram(hashes[i])) continue;
    // ("set" is also a character n-gram of "<set>": a name alone does not say which.)
    CHECK(word_grams.count(grams[i]) == 1);
    ++words_seen;
  }
  CHECK(words_seen == word_grams.size());
}

TEST_CASE("featurizer: a bad config is refused", "[router][featurizer]") {
  CHECK_THROWS_WITH(Featurizer(FeaturizerConfig{3, 3, 5}), Catch::Contains("word n-grams"));
  CHECK_THROWS(Featurizer(FeaturizerConfig{2, 5, 3}));
}

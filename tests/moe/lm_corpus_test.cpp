#include <cmath>

#include "lm_fixtures.hpp"
#include "requip/moe/char_corpus.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

TEST_CASE("lm corpus: the vocabulary is the text's sorted distinct characters", "[moe][lm]") {
  const auto vocab = moe::CharVocab::of_text("banana!");
  CHECK(vocab.size() == 4);
  CHECK(vocab.encode("!abn") == std::vector<std::int64_t>{0, 1, 2, 3});
  CHECK(vocab.decode(vocab.encode("banana")) == "banana");
  CHECK_THROWS_WITH(vocab.encode("bz"),
                    Catch::Contains("'z'") && Catch::Contains("not in the model's vocabulary"));
}

TEST_CASE("lm corpus: a 90/10 split, windows with next-character targets", "[moe][lm]") {
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += static_cast<char>('a' + i % 26);
  test::write_file(dir / "abc.txt", text);
  const moe::CharCorpus corpus(dir / "abc.txt", 4);
  CHECK(corpus.train().size(0) == 90);
  CHECK(corpus.val().size(0) == 10);
  const auto [inputs, targets] = corpus.batch(corpus.train(), 8);
  CHECK(inputs.sizes() == torch::IntArrayRef{8, 4});
  // In this text each character's successor is the next letter, mod 26.
  CHECK(torch::equal(targets, (inputs + 1) % 26));
}

TEST_CASE("lm corpus: the unigram entropy is the characters' entropy in nats", "[moe][lm]") {
  test::TempDir dir;
  test::write_file(dir / "two.txt", std::string(50, 'a') + std::string(50, 'b'));
  CHECK(moe::CharCorpus(dir / "two.txt", 2).unigram_entropy() == Approx(std::log(2.0)));
}

TEST_CASE("lm corpus: a missing or too short file is refused with the fix", "[moe][lm]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(moe::CharCorpus(dir / "none.txt", 8),
                    Catch::Contains("cannot read data file") && Catch::Contains("--data"));
  test::write_file(dir / "short.txt", "to be or not");
  CHECK_THROWS_WITH(moe::CharCorpus(dir / "short.txt", 8),
                    Catch::Contains("has 12 characters, too few") && Catch::Contains("--block"));
}

#include <cctype>
#include <cstdlib>

#include "bundled_plugin.hpp"
#include "lm_fixtures.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::Brain;
using requip::test::answer;
using requip::test::bundled_skill;

namespace {

const std::string verse_text = "the sea is wide\nand love is long\n";

// Sets an environment variable for the length of a test.
class Setting {
 public:
  Setting(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~Setting() { unsetenv(name_); }
  Setting(const Setting&) = delete;
  Setting& operator=(const Setting&) = delete;

 private:
  const char* name_;
};

// Points the poet at `file` for the length of a test.
class PoetModel : public Setting {
 public:
  explicit PoetModel(const std::filesystem::path& file) : Setting("REQUIP_POET_MODEL", file) {}
};

// Gives the user a data folder of their own, with or without a model in it.
class UserDataHome : public Setting {
 public:
  explicit UserDataHome(const std::filesystem::path& folder) : Setting("XDG_DATA_HOME", folder) {}
};

void save_untrained_model(const std::filesystem::path& file) {
  const auto vocab = requip::moe::CharVocab::of_text(verse_text);
  torch::manual_seed(3);
  requip::moe::LanguageModel model(requip::test::tiny_lm_config(vocab.size()));
  requip::moe::save_checkpoint(file, model, vocab);
}

}  // namespace

TEST_CASE("poet plugin: with no model of the user's own, it writes with the shipped one",
          "[plugins][poet]") {
  requip::test::TempDir dir;
  UserDataHome home(dir.path());
  Brain brain;
  brain.add(bundled_skill("poet", brain));
  const auto lines = answer(brain, "write me a poem about the king");
  REQUIRE(lines.size() >= 4);
  CHECK_THAT(lines[0], Catch::StartsWith("the king"));
  std::size_t letters = 0, characters = 0;
  for (const auto& line : lines) {
    CHECK_FALSE(line.empty());
    for (const char c : line) {
      letters += std::isalpha(static_cast<unsigned char>(c)) != 0 || c == ' ' ? 1 : 0;
      ++characters;
    }
  }
  // Verse is words: a model that failed to load or learn gives noise or punctuation.
  CHECK(letters > characters * 9 / 10);

  SECTION("and the user's own model, once there is one, takes its place") {
    std::filesystem::create_directories(dir / "requip");
    save_untrained_model(dir / "requip" / "tinymoe.pt");
    const auto vocab = requip::moe::CharVocab::of_text(verse_text);
    for (const auto& line : answer(brain, "write a poem about love")) {
      for (const char c : line)
        CHECK(vocab.contains(c));
    }
  }
}

TEST_CASE(
    "poet plugin: a model file it is pointed at but cannot find is named, with how to "
    "train one",
    "[plugins][poet]") {
  requip::test::TempDir dir;
  PoetModel model(dir / "tinymoe.pt");
  Brain brain;
  brain.add(bundled_skill("poet", brain));
  const auto lines = answer(brain, "write me a poem");
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains((dir / "tinymoe.pt").string()));
  CHECK_THAT(lines[1], Catch::StartsWith("Train one with: requip train --out " +
                                         (dir / "tinymoe.pt").string()));
}

TEST_CASE("poet plugin: writes lines from the model's vocabulary, starting with the subject",
          "[plugins][poet]") {
  requip::test::TempDir dir;
  save_untrained_model(dir / "tinymoe.pt");
  PoetModel model(dir / "tinymoe.pt");
  Brain brain;
  brain.add(bundled_skill("poet", brain));
  const auto lines = answer(brain, "Write a poem about the sea?");
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.size() <= 8);
  CHECK_THAT(lines[0], Catch::StartsWith("the sea"));
  const auto vocab = requip::moe::CharVocab::of_text(verse_text);
  for (const auto& line : lines) {
    CHECK_FALSE(line.empty());
    for (const char c : line)
      CHECK(vocab.contains(c));
  }
  CHECK(answer(brain, "what time is it").empty());
}

TEST_CASE("poet plugin: a corrupt model gets a one-line reason and the training command",
          "[plugins][poet]") {
  requip::test::TempDir dir;
  requip::test::write_file(dir / "tinymoe.pt", "not a checkpoint");
  PoetModel model(dir / "tinymoe.pt");
  Brain brain;
  brain.add(bundled_skill("poet", brain));
  const auto lines = answer(brain, "recite some verse");
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::StartsWith("I cannot use my model: ") &&
                           Catch::Contains((dir / "tinymoe.pt").string()));
  CHECK(lines[0].find('\n') == std::string::npos);
  CHECK_THAT(lines[1], Catch::StartsWith("Train one with: requip train"));

  SECTION("and a good model written over it is used at the next request") {
    save_untrained_model(dir / "tinymoe.pt");
    CHECK_THAT(answer(brain, "write a poem about love")[0], Catch::StartsWith("love"));
  }
}

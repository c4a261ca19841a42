#include <catch2/catch.hpp>

#include <fstream>

#include "requip/router/labeled_data.hpp"
#include "temp_dir.hpp"

using namespace requip::router;

namespace {
std::filesystem::path write(const requip::test::TempDir& dir, const std::string& name,
                            const std::string& text) {
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("labeled data: a TSV with a header becomes rows grouped by label", "[router][data]") {
  requip::test::TempDir dir;
  const auto data = load_labeled_tsv(write(
      dir, "ok.tsv", "text\tintent\nwake me up\talarm\nplay jazz\tmusic\nalarm at 7\talarm\n"));
  CHECK(data.rows.size() == 3);
  CHECK(data.labels() == std::vector<std::string>{"alarm", "music"});
  CHECK(data.examples_by_label().at("alarm").size() == 2);
}

TEST_CASE("labeled data: bad input names the file, the line and the fix", "[router][data]") {
  requip::test::TempDir dir;
  const auto malformed = write(dir, "bad.tsv", "text\tintent\nfine\talarm\nno tab here\n");
  CHECK_THROWS_WITH(load_labeled_tsv(malformed),
                    Catch::Contains("bad.tsv:3:") && Catch::Contains("exactly one tab"));
  const auto empty_label = write(dir, "label.tsv", "text\tintent\nwake me\t \n");
  CHECK_THROWS_WITH(load_labeled_tsv(empty_label),
                    Catch::Contains("label.tsv:2:") && Catch::Contains("label is empty"));
  const auto no_rows = write(dir, "empty.tsv", "text\tintent\n");
  CHECK_THROWS_WITH(load_labeled_tsv(no_rows),
                    Catch::Contains("empty.tsv:1:") && Catch::Contains("no labels"));

  const auto train = load_labeled_tsv(write(dir, "train.tsv", "text\tl\nwake me\talarm\n"));
  const auto test =
      load_labeled_tsv(write(dir, "test.tsv", "text\tl\nwake me\talarm\nhi\tgreet\n"));
  CHECK_THROWS_WITH(require_examples_for(test, train),
                    Catch::Contains("test.tsv:3:") && Catch::Contains("'greet' has no examples"));
}

TEST_CASE("labeled data: held-out labels leave training and their test rows become out of scope",
          "[router][data]") {
  requip::test::TempDir dir;
  EvaluationSplit split{
      load_labeled_tsv(
          write(dir, "train.tsv", "text\tl\nwake me\talarm\nplay\tmusic\nrain\tsky\n")),
      load_labeled_tsv(
          write(dir, "test.tsv", "text\tl\nalarm at 7\talarm\njazz\tmusic\nsun\tsky\n")),
      {}};
  const auto held = hold_out_labels(split, 2, 5);
  REQUIRE(held.train.labels().size() == 1);
  const std::string kept = held.train.labels().front();
  REQUIRE(held.test.rows.size() == 1);
  CHECK(held.test.rows.front().label == kept);
  REQUIRE(held.out_of_scope.size() == 2);
  for (const auto& row : held.out_of_scope)
    CHECK(row.label != kept);
  CHECK(hold_out_labels(split, 2, 5).train.labels() == held.train.labels());  // seeded
  CHECK_THROWS_AS(hold_out_labels(split, 3, 5), std::invalid_argument);
}

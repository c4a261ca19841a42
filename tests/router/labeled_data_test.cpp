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

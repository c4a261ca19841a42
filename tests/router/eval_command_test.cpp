#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

using requip::test::run_requip;

namespace {
const std::string train_rows =
    "text\tintent\nwhat's the weather\tweather\nwill it rain tomorrow\tweather\n"
    "is it sunny\tweather\nset an alarm\talarm\nwake me up at six\talarm\n"
    "cancel my alarm\talarm\nplay some jazz\tmusic\nplay music\tmusic\nnext song\tmusic\n";
}

TEST_CASE("eval router: --json reports the figures on a small slice", "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  std::ofstream(dir / "test.tsv") << "text\tintent\nwill it be sunny\tweather\nplay jazz\tmusic\n";
  auto result =
      run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                  (dir / "test.tsv").string(), "--json", "--epochs", "30", "--dim", "16"});
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  for (const char* field : {"accuracy", "macro_f1", "train_s", "route_p50_us", "route_p99_us"})
    CHECK(figures.contains(field));
  CHECK(figures.at("accuracy").get<double>() == 1.0);
}

TEST_CASE("eval router: a bad TSV is one line naming the file and line", "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows << "broken row\n";
  auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                            (dir / "train.tsv").string()});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.out + result.err,
             Catch::Contains("train.tsv:11:") && Catch::Contains("exactly one tab"));
}

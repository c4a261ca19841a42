#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
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

namespace {
const std::string test_rows = "text\tintent\nwill it be sunny\tweather\nplay jazz\tmusic\n";
// Nothing a weather, alarm or music skill should take.
const std::string out_of_scope_rows =
    "text\tintent\nwhat is the capital of peru\tnone\ntranslate hello to french\tnone\n";
}  // namespace

TEST_CASE("eval router: --oos adds in-scope accuracy, OOS recall and the best threshold",
          "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  std::ofstream(dir / "test.tsv") << test_rows;
  std::ofstream(dir / "oos.tsv") << out_of_scope_rows;
  const std::vector<std::string> args{"eval",     "router",
                                      "--train",  (dir / "train.tsv").string(),
                                      "--test",   (dir / "test.tsv").string(),
                                      "--oos",    (dir / "oos.tsv").string(),
                                      "--epochs", "30",
                                      "--dim",    "16"};
  SECTION("as JSON") {
    auto with_json = args;
    with_json.push_back("--json");
    auto result = run_requip(with_json);
    REQUIRE(result.exit_code == 0);
    const auto figures = nlohmann::json::parse(result.out);
    const double in_scope = figures.at("in_scope_accuracy");
    const double recall = figures.at("oos_recall");
    CHECK(in_scope <= figures.at("accuracy").get<double>());  // a fallback only costs
    CHECK((recall >= 0 && recall <= 1));
    CHECK(figures.contains("best_threshold"));
  }
  SECTION("for a person") {
    auto result = run_requip(args);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("2 rows; at threshold 0.30: in-scope accuracy") &&
                               Catch::Contains("OOS recall") &&
                               Catch::Contains("best threshold on this test set"));
  }
}

TEST_CASE("eval router: without out-of-scope rows the JSON has no OOS figures",
          "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  std::ofstream(dir / "test.tsv") << test_rows;
  auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                            (dir / "test.tsv").string(), "--json", "--epochs", "5", "--dim", "8"});
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  for (const char* field : {"in_scope_accuracy", "oos_recall", "best_threshold"})
    CHECK_FALSE(figures.contains(field));
}

TEST_CASE("eval router: --leave-out-intents routes the held-out labels' test rows as out of scope",
          "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  std::ofstream(dir / "test.tsv") << test_rows;
  auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                            (dir / "test.tsv").string(), "--leave-out-intents", "1", "--seed", "3",
                            "--epochs", "5", "--dim", "8"});
  REQUIRE(result.exit_code == 0);
  // Two of the three labels stay; the held one's rows (one of the two test rows, or none
  // when it is alarm) leave the in-scope test.
  CHECK_THAT(result.out, Catch::Contains("router: 2 skills"));
  CHECK_THAT(result.out, Catch::Contains("in-scope accuracy"));
}

TEST_CASE("eval router: bad --oos and --leave-out-intents are one line naming them and the fix",
          "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  std::ofstream(dir / "test.tsv") << test_rows;
  SECTION("a malformed --oos file") {
    std::ofstream(dir / "oos.tsv") << "text\tintent\njust text, no tab\n";
    auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                              (dir / "test.tsv").string(), "--oos", (dir / "oos.tsv").string()});
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.err, Catch::Contains("oos.tsv:2:") && Catch::Contains("exactly one tab"));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  SECTION("as many labels held out as there are") {
    auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                              (dir / "test.tsv").string(), "--leave-out-intents", "3"});
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.err, Catch::Contains("--leave-out-intents 3") &&
                               Catch::Contains("only 3 labels") &&
                               Catch::Contains("pass at most 2"));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
}

TEST_CASE("eval router: --report writes a self-contained page naming a confused pair",
          "[router][e2e][eval]") {
  requip::test::TempDir dir;
  std::ofstream(dir / "train.tsv") << train_rows;
  // "wake me with music" goes to one skill; whichever it is, one of alarm and music is wrong.
  std::ofstream(dir / "test.tsv") << "text\tintent\nwake me with music\talarm\n"
                                     "wake me with music\tmusic\nis it sunny\tweather\n";
  std::ofstream(dir / "oos.tsv") << out_of_scope_rows;
  const auto report = dir / "report.html";
  auto result = run_requip({"eval", "router", "--train", (dir / "train.tsv").string(), "--test",
                            (dir / "test.tsv").string(), "--oos", (dir / "oos.tsv").string(),
                            "--report", report.string(), "--epochs", "30", "--dim", "16"});
  REQUIRE(result.exit_code == 0);
  std::ifstream in(report);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  SECTION("a heatmap and a histogram, inline") {
    CHECK_THAT(html, Catch::Contains("<h2>Confusion matrix</h2>\n<p>") && Catch::Contains("<svg") &&
                         Catch::Contains("routed to weather") &&
                         Catch::Contains("threshold 0.30") &&
                         Catch::Contains("out of scope (2 rows)"));
    CHECK_THAT(html, !Catch::Contains("src=") && !Catch::Contains("href="));
  }
  SECTION("the confused pair, with its utterance") {
    const bool alarm_to_music =
        html.find("<td>alarm</td><td>music</td><td>1</td>") != std::string::npos;
    const bool music_to_alarm =
        html.find("<td>music</td><td>alarm</td><td>1</td>") != std::string::npos;
    CHECK(alarm_to_music != music_to_alarm);
    CHECK_THAT(html, Catch::Contains("wake me with music</td>"));
  }
  SECTION("per-skill precision, recall and F1") {
    CHECK_THAT(html, Catch::Contains("<th>precision</th><th>recall</th><th>F1</th>") &&
                         Catch::Contains("<td>weather</td><td>1.000</td><td>1.000</td>"));
  }
}

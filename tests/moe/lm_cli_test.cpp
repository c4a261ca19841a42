#include <fstream>
#include <nlohmann/json.hpp>

#include "lm_fixtures.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::test::run_requip;

namespace {

const std::vector<std::string> tiny_model_flags = {
    "--block", "16", "--embed",         "32", "--heads",   "2", "--layers",       "2",
    "--batch", "4",  "--expert-hidden", "32", "--experts", "4", "--eval-batches", "2"};

requip::test::ProcessResult train(const requip::test::TempDir& dir,
                                  std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "train", "--steps", "20", "--eval-every", "10", "--out", (dir / "model.pt").string()};
  args.insert(args.end(), tiny_model_flags.begin(), tiny_model_flags.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return run_requip(args);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("lm cli: train writes a checkpoint and a report, sample continues a prompt",
          "[moe][lm][cli]") {
  requip::test::TempDir dir;
  const auto trained = train(dir, {"--report", (dir / "report.html").string()});
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  CHECK_THAT(trained.out, Catch::Contains("step    10 | train "));
  CHECK_THAT(trained.out, Catch::Contains("step    20 | train "));
  CHECK_THAT(trained.err, Catch::Contains("steps/s ETA"));
  const std::string report = read_text(dir / "report.html");
  CHECK_THAT(report, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(report, Catch::Contains("<svg") && Catch::Contains("<polyline"));

  const auto sampled = run_requip(
      {"sample", "--model", (dir / "model.pt").string(), "--prompt", "ROMEO:", "--chars", "40"});
  INFO(sampled.err);
  REQUIRE(sampled.exit_code == 0);
  CHECK_THAT(sampled.out, Catch::StartsWith("ROMEO:"));
  CHECK(sampled.out.size() == 6 + 40 + 1);
}

// main logs errors through spdlog, whose default sink is standard output.
TEST_CASE("lm cli: bad input exits 1 with one line naming the thing and the fix",
          "[moe][lm][cli]") {
  requip::test::TempDir dir;
  requip::test::ProcessResult result;
  std::string expected;
  SECTION("a garbage model file") {
    requip::test::write_file(dir / "junk.pt", "junk");
    result = run_requip({"sample", "--model", (dir / "junk.pt").string()});
    expected = "junk.pt is truncated or not a requip checkpoint";
  }
  SECTION("a data file too short to train on") {
    requip::test::write_file(dir / "short.txt", "to be");
    result = train(dir, {"--data", (dir / "short.txt").string()});
    expected = "short.txt has 5 characters, too few";
  }
  SECTION("a shape that cannot work") {
    result = train(dir, {"--top-k", "9"});
    expected = "top-k 9 exceeds the expert count 4; lower --top-k";
  }
  const std::string said = result.out + result.err;
  CHECK(result.exit_code == 1);
  CHECK_THAT(said, Catch::Contains(expected));
  CHECK(std::count(said.begin(), said.end(), '\n') == 1);
}

TEST_CASE("lm cli: bench lm --json prints the step and generation times", "[moe][lm][cli][bench]") {
  const auto result = run_requip({"bench", "lm", "--json", "--steps", "1", "--threads", "1"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto figures = nlohmann::json::parse(result.out);
  CHECK(figures.at("train_step_s").get<double>() > 0);
  CHECK(figures.at("generate_500_s").get<double>() > 0);
}

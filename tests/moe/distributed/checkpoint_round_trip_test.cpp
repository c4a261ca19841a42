#include "requip/moe/lm_checkpoint.hpp"
#include "subprocess.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::test::run_requip;

namespace {

requip::test::ProcessResult train(std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "train", "--eval-every",    "0",  "--eval-batches", "2", "--threads", "1", "--block",
      "16",    "--embed",         "32", "--heads",        "2", "--layers",  "2", "--experts",
      "4",     "--expert-hidden", "32"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_requip(args);
}

// The largest difference between two checkpoints' parameters of the same name.
double max_difference(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto left = requip::moe::load_checkpoint(a).model, right = requip::moe::load_checkpoint(b).model;
  double largest = 0;
  const auto right_parameters = right->named_parameters();
  for (const auto& item : left->named_parameters()) {
    INFO(item.key());
    REQUIRE(item.value().sizes() == right_parameters[item.key()].sizes());
    largest =
        std::max(largest, (item.value() - right_parameters[item.key()]).abs().max().item<double>());
  }
  return largest;
}

}  // namespace

TEST_CASE("distributed: checkpoints pass between one process and several ranks",
          "[moe][distributed]") {
  requip::test::TempDir dir;
  const auto single = dir / "single.pt", restarted = dir / "restarted.pt",
             trained = dir / "trained.pt";
  const auto first = train({"--steps", "3", "--out", single.string()});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  std::string parallelism;
  SECTION("data parallel") {
    parallelism = "--data-parallel";
  }
  SECTION("expert parallel: the experts are gathered back to rank 0") {
    parallelism = "--expert-parallel";
  }
  // Zero steps: what two ranks load from one process's checkpoint is what they write back.
  const auto again = train({"--nproc", "2", parallelism, "--init", single.string(), "--steps", "0",
                            "--out", restarted.string()});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(max_difference(single, restarted) == 0);
  // Rank 0 gives the whole model's size, not its share of the experts.
  const auto size = [](const std::string& out) {
    const auto end = out.find("M parameters"), start = out.rfind(' ', end) + 1;
    return end == std::string::npos ? std::string{} : out.substr(start, end - start);
  };
  CHECK_FALSE(size(first.out + first.err).empty());
  CHECK(size(again.out + again.err) == size(first.out + first.err));

  const auto onward = train({"--nproc", "2", parallelism, "--init", single.string(), "--steps", "3",
                             "--out", trained.string()});
  INFO(onward.out << onward.err);
  REQUIRE(onward.exit_code == 0);
  CHECK(max_difference(single, trained) > 0);
  const auto sampled =
      run_requip({"sample", "--model", trained.string(), "--prompt", "ROMEO:", "--chars", "20"});
  CHECK(sampled.exit_code == 0);
  CHECK(sampled.out.size() == 6 + 20 + 1);
}

#include <nlohmann/json.hpp>

#include "lm_fixtures.hpp"
#include "run_ranks.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::test::rank_worker;
using requip::test::run_process;
using requip::test::run_ranks;

namespace {

std::vector<double> losses_of(const requip::test::ProcessResult& run) {
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.out).at("losses").get<std::vector<double>>();
}

}  // namespace

TEST_CASE("distributed: 2 ranks at batch 4 follow one process at batch 8 step for step",
          "[moe][distributed]") {
  const std::string data = requip::test::shakespeare().string();
  const auto single = losses_of(run_process(rank_worker({"losses", data, "8", "20"})));
  REQUIRE(single.size() == 20);
  std::vector<std::string> parallel = {"losses", data, "4", "20"};
  SECTION("data parallel") {}
  SECTION("expert parallel: each rank holds 2 of the 4 experts") {
    parallel.push_back("--expert-parallel");
  }
  const auto ranks = run_ranks(rank_worker(parallel), 2);
  const auto distributed = losses_of(ranks[0]);
  INFO(ranks[1].err);
  CHECK(ranks[1].exit_code == 0);
  REQUIRE(distributed.size() == 20);
  for (std::size_t step = 0; step < 20; ++step) {
    INFO("step " << step + 1);
    CHECK(distributed[step] == Approx(single[step]).margin(1e-4));
  }
  // Training moved: the comparison is not between two untrained models.
  CHECK(single.back() < single.front() - 0.1);
}

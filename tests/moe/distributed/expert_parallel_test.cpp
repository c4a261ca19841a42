#include <nlohmann/json.hpp>

#include "run_ranks.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using requip::test::rank_worker;
using requip::test::run_ranks;

namespace {

// Each rank's report of how far its expert-parallel layer is from the single-process one.
std::vector<nlohmann::json> layer_reports(const std::vector<std::string>& arguments, int world) {
  std::vector<std::string> argv = {"moe-layer"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::vector<nlohmann::json> reports;
  for (const auto& rank : run_ranks(rank_worker(argv), world)) {
    INFO(rank.err);
    REQUIRE(rank.exit_code == 0);
    reports.push_back(nlohmann::json::parse(rank.out));
  }
  return reports;
}

void check_matches_single_process(const std::vector<nlohmann::json>& reports) {
  for (std::size_t rank = 0; rank < reports.size(); ++rank) {
    INFO("rank " << rank << ": " << reports[rank].dump());
    CHECK(reports[rank].at("forward").get<double>() < 1e-5);
    CHECK(reports[rank].at("input_grad").get<double>() < 1e-5);
    CHECK(reports[rank].at("gate_grad").get<double>() < 1e-5);
    CHECK(reports[rank].at("expert_grad").get<double>() < 1e-5);
  }
}

}  // namespace

TEST_CASE(
    "expert parallel: the layer split over ranks computes the single-process layer and "
    "its gradients",
    "[moe][distributed]") {
  SECTION("2 ranks, one of them with no tokens") {
    const auto reports = layer_reports({"13,0", "0"}, 2);
    check_matches_single_process(reports);
    // Rank 1 has no tokens of its own, yet serves rank 0's slots for its experts.
    CHECK(reports[1].at("expert_grad_norm").get<double>() > 0);
  }
  SECTION("4 ranks with uneven tokens, and a rank whose experts nobody picks") {
    // Experts 2 and 3, rank 1's, are masked out of the gate.
    const auto reports = layer_reports({"5,17,0,9", "0", "2", "3"}, 4);
    check_matches_single_process(reports);
    CHECK(reports[1].at("expert_grad_norm").get<double>() == 0);
    CHECK(reports[0].at("expert_grad_norm").get<double>() > 0);
  }
  SECTION("4 ranks with a capacity that drops slots, first come in rank order") {
    const auto reports = layer_reports({"20,3,0,14", "0.5"}, 4);
    check_matches_single_process(reports);
    CHECK(reports[0].at("dropped_slots").get<std::int64_t>() > 0);
  }
}

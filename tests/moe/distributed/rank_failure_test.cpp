#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "run_ranks.hpp"
#include "subprocess.hpp"

#include <catch2/catch.hpp>

using requip::test::ChildProcess;
using requip::test::run_requip;

namespace {

// A tiny model trained for far longer than any test waits.
std::string endless_training() {
  return requip::test::requip_binary() +
         " train --steps 1000000 --eval-every 0 --block 16 --embed 32 --heads 2 --layers 2 "
         "--batch 4 --expert-hidden 32 --experts 4 --threads 1 --out /dev/null";
}

// Runs a shell command line with standard error joined to the output that ChildProcess reads.
std::vector<std::string> shell(const std::string& command) {
  return {"/bin/sh", "-c", "exec " + command + " 2>&1"};
}

std::string rank_environment(int rank, int world, int port) {
  return "env RANK=" + std::to_string(rank) + " WORLD_SIZE=" + std::to_string(world) +
         " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " ";
}

// Reads lines until one contains `text`; false at end of output.
bool wait_for(ChildProcess& child, const std::string& text) {
  while (auto line = child.read_line()) {
    if (line->find(text) != std::string::npos) return true;
  }
  return false;
}

struct Ending {
  std::vector<std::string> lines;  // what it said after the wait began
  int exit_code;
  double seconds;
};

Ending wait_for_end(ChildProcess& child) {
  const auto start = std::chrono::steady_clock::now();
  Ending ending;
  while (auto line = child.read_line())
    ending.lines.push_back(*line);
  ending.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ending.exit_code = child.stop(SIGKILL);
  return ending;
}

std::string last_line(const Ending& ending) {
  return ending.lines.empty() ? "" : ending.lines.back();
}

}  // namespace

TEST_CASE("distributed: when a rank is killed mid-run the others fail within 30 s, saying why",
          "[moe][distributed]") {
  const int port = requip::test::free_port();
  ChildProcess rank0(shell(rank_environment(0, 2, port) + endless_training()));
  ChildProcess rank1(shell(rank_environment(1, 2, port) + endless_training()));
  // Rank 0 prints its summary once both ranks have joined and built the model.
  REQUIRE(wait_for(rank0, "steps of 8x16"));
  rank1.kill_now();
  const Ending ending = wait_for_end(rank0);
  CHECK(ending.exit_code == 1);
  CHECK(ending.seconds < 30);
  CHECK_THAT(last_line(ending), Catch::StartsWith("requip: rank 0: ") &&
                                    Catch::Contains("another rank has stopped or is unreachable"));
}

TEST_CASE("distributed: --nproc stops every rank and fails when one rank dies",
          "[moe][distributed]") {
  ChildProcess launcher(shell(endless_training() + " --nproc 2"));
  REQUIRE(wait_for(launcher, "[rank 0] "));
  // The launcher's children are the ranks; kill the last one started.
  std::ifstream children("/proc/" + std::to_string(launcher.pid()) + "/task/" +
                         std::to_string(launcher.pid()) + "/children");
  std::vector<int> ranks;
  for (int pid; children >> pid;)
    ranks.push_back(pid);
  REQUIRE(ranks.size() == 2);
  ::kill(ranks.back(), SIGKILL);
  const Ending ending = wait_for_end(launcher);
  CHECK(ending.exit_code == 1);
  CHECK(ending.seconds < 30);
  CHECK_THAT(last_line(ending),
             Catch::Contains("rank 1 failed with exit code 137; stopping the other ranks"));
  for (int pid : ranks)
    CHECK(::kill(pid, 0) != 0);  // both gone, none left behind
}

TEST_CASE("distributed: a rendezvous that cannot happen fails in one line naming the fix",
          "[moe][distributed]") {
  const int port = requip::test::free_port();
  std::map<std::string, std::string> environment = {{"MASTER_ADDR", "127.0.0.1"},
                                                    {"MASTER_PORT", std::to_string(port)},
                                                    {"REQUIP_DIST_TIMEOUT", "2"},
                                                    {"WORLD_SIZE", "2"}};
  std::string expected;
  SECTION("a bad RANK") {
    environment["RANK"] = "2";
    expected = "RANK=\"2\" is not a number from 0 to 1; set RANK to this process's index";
  }
  SECTION("MASTER_ADDR missing") {
    environment["RANK"] = "1";
    environment.erase("MASTER_ADDR");
    expected = "MASTER_ADDR is not set; set it to the host name or address of rank 0";
  }
  SECTION("no rank 0 to meet") {
    environment["RANK"] = "1";
    expected = "rank 1 cannot reach the rendezvous at 127.0.0.1:" + std::to_string(port);
  }
  SECTION("rank 0 alone") {
    environment["RANK"] = "0";
    expected = "rank 0 could not connect to the other 1 ranks";
  }
  SECTION("GLOO_SOCKET_IFNAME naming no interface of this machine") {
    environment["RANK"] = "0";
    environment["GLOO_SOCKET_IFNAME"] = "nosuch0";
    expected = "GLOO_SOCKET_IFNAME is 'nosuch0', which has no address on this machine";
  }
  int taken = -1;
  SECTION("MASTER_PORT already in use") {
    environment["RANK"] = "0";
    taken = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(taken, 1) == 0);
    expected = "rank 0 cannot open the rendezvous at 127.0.0.1:" + std::to_string(port);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_requip({"train", "--steps", "1", "--block", "16", "--embed", "32",
                                  "--layers", "1", "--threads", "1", "--out", "/dev/null"},
                                 {}, environment);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (taken >= 0) ::close(taken);
  INFO(result.out);
  CHECK(result.exit_code == 1);
  CHECK(seconds < 20);
  CHECK_THAT(result.err, Catch::StartsWith("requip: ") && Catch::Contains(expected));
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("distributed: ranks started with different WORLD_SIZEs fail, naming the mismatch",
          "[moe][distributed]") {
  const std::string port = std::to_string(requip::test::free_port());
  auto rank = [&](int index, int world) {
    return run_requip({"train", "--steps", "1", "--block", "16", "--embed", "32", "--layers", "1",
                       "--threads", "1", "--out", "/dev/null"},
                      {},
                      {{"RANK", std::to_string(index)},
                       {"WORLD_SIZE", std::to_string(world)},
                       {"MASTER_ADDR", "127.0.0.1"},
                       {"MASTER_PORT", port},
                       {"REQUIP_DIST_TIMEOUT", "2"}});
  };
  requip::test::ProcessResult first;
  std::thread rank0([&] { first = rank(0, 2); });
  const auto second = rank(1, 3);
  rank0.join();
  CHECK(first.exit_code == 1);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Catch::Contains("WORLD_SIZE is 3 on rank 1 but 2 on rank 0; start every "
                                         "rank with the same WORLD_SIZE"));
}

#include "run_ranks.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace requip::test {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("no free port on 127.0.0.1");
  return ntohs(address.sin_port);
}

std::vector<ProcessResult> run_ranks(const std::vector<std::string>& argv, int world) {
  const std::string port = std::to_string(free_port());
  std::vector<ProcessResult> results(static_cast<std::size_t>(world));
  std::vector<std::thread> ranks;
  for (int rank = 0; rank < world; ++rank) {
    ranks.emplace_back([&, rank] {
      results[static_cast<std::size_t>(rank)] = run_process(argv, {},
                                                            {{"RANK", std::to_string(rank)},
                                                             {"WORLD_SIZE", std::to_string(world)},
                                                             {"MASTER_ADDR", "127.0.0.1"},
                                                             {"MASTER_PORT", port},
                                                             {"OMP_NUM_THREADS", "1"}});
    });
  }
  for (auto& rank : ranks)
    rank.join();
  return results;
}

std::vector<std::string> rank_worker(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), REQUIP_RANK_WORKER);
  return arguments;
}

}  // namespace requip::test

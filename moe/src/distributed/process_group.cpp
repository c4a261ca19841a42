#include "requip/moe/process_group.hpp"

#include <glog/logging.h>
#include <ifaddrs.h>
#include <sys/socket.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace requip::moe {

namespace {

// c10::Error's message carries a backtrace after its first line; users need the first line.
std::string first_line(const std::exception& error) {
  const std::string what = error.what();
  return what.substr(0, what.find('\n'));
}

std::runtime_error collective_error(int rank, const char* what, const std::exception& error) {
  return std::runtime_error(
      fmt::format("rank {}: {} failed ({}); another rank has stopped or is unreachable", rank, what,
                  first_line(error)));
}

long environment_number(const char* name, const char* fallback, long low, long high,
                        const char* fix) {
  const char* value = std::getenv(name);
  const std::string text = value != nullptr ? value : fallback;
  char* end = nullptr;
  const long number = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || number < low || number > high)
    throw std::invalid_argument(
        fmt::format("{}={:?} is not a number from {} to {}; {}", name, text, low, high, fix));
  return number;
}

// c10d logs each failed connection attempt through glog as well as throwing; the exception's
// one line is what the user gets, so the log is held back while ranks meet.
class QuietLog {
 public:
  QuietLog() : level_(FLAGS_minloglevel) { FLAGS_minloglevel = google::GLOG_FATAL; }
  ~QuietLog() { FLAGS_minloglevel = level_; }
  QuietLog(const QuietLog&) = delete;
  QuietLog& operator=(const QuietLog&) = delete;

 private:
  int level_;
};

bool is_loopback(const std::string& address) {
  return address == "localhost" || address.starts_with("127.");
}

bool has_address(const std::string& interface) {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return false;
  bool found = false;
  for (const ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next)
    found = entry->ifa_addr != nullptr && interface == entry->ifa_name &&
            (entry->ifa_addr->sa_family == AF_INET || entry->ifa_addr->sa_family == AF_INET6);
  ::freeifaddrs(list);
  return found;
}

// The network device the ranks talk over: the interface GLOO_SOCKET_IFNAME names, as PyTorch
// reads it (Debian maps the host name to 127.0.1.1, which other machines cannot reach); else
// loopback for a loopback rendezvous, else the address the host name resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const std::string& master_addr) {
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface) {
    // Checked here: Gloo's own check throws past a list it never frees.
    if (!has_address(interface))
      throw std::invalid_argument(fmt::format(
          "GLOO_SOCKET_IFNAME is '{}', which has no address on this machine; set it to one of "
          "this machine's interfaces (`ip -brief address` lists them) or unset it",
          interface));
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  }
  return is_loopback(master_addr) ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                  : c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

Rendezvous Rendezvous::from_environment() {
  Rendezvous r;
  r.world_size = static_cast<int>(environment_number(
      "WORLD_SIZE", "1", 1, 4096, "set WORLD_SIZE to the number of processes in the run"));
  r.rank = static_cast<int>(environment_number(
      "RANK", "0", 0, r.world_size - 1, "set RANK to this process's index below WORLD_SIZE"));
  if (const char* addr = std::getenv("MASTER_ADDR"); addr != nullptr && *addr != '\0')
    r.master_addr = addr;
  else if (r.world_size > 1)
    throw std::invalid_argument(
        "MASTER_ADDR is not set; set it to the host name or address of rank 0");
  r.master_port = static_cast<std::uint16_t>(environment_number(
      "MASTER_PORT", "29500", 1, 65535, "set MASTER_PORT to a free TCP port on rank 0's host"));
  r.timeout = std::chrono::seconds(environment_number(
      "REQUIP_DIST_TIMEOUT", "20", 1, 86400, "set REQUIP_DIST_TIMEOUT to a timeout in seconds"));
  return r;
}

struct PendingCollective::State {
  c10::intrusive_ptr<c10d::Work> work;
  int rank;
  const char* what;
  double* waited;  // the group's total; the group outlives what it starts
};

PendingCollective::PendingCollective(std::unique_ptr<State> state) : state_(std::move(state)) {}
PendingCollective::PendingCollective(PendingCollective&&) noexcept = default;
PendingCollective& PendingCollective::operator=(PendingCollective&&) noexcept = default;
PendingCollective::~PendingCollective() = default;

void PendingCollective::wait() {
  const auto start = std::chrono::steady_clock::now();
  try {
    state_->work->wait();
  } catch (const std::exception& error) {
    throw collective_error(state_->rank, state_->what, error);
  }
  *state_->waited +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
  double waited = 0;

  // Starts a collective, turning Gloo's errors into one line.
  template <typename Start>
  PendingCollective start(int rank, const char* what, Start start_work) {
    try {
      return PendingCollective(std::make_unique<PendingCollective::State>(
          PendingCollective::State{start_work(), rank, what, &waited}));
    } catch (const std::exception& error) {
      throw collective_error(rank, what, error);
    }
  }
};

ProcessGroup::ProcessGroup(const Rendezvous& r)
    : impl_(std::make_unique<Impl>()), rank_(r.rank), world_size_(r.world_size) {
  c10d::TCPStoreOptions store_options;
  store_options.port = r.master_port;
  store_options.isServer = r.rank == 0;
  store_options.numWorkers = static_cast<std::size_t>(r.world_size);
  store_options.timeout = r.timeout;
  // Missing ranks are then reported by the Gloo rendezvous below, with its own message.
  store_options.waitWorkers = false;
  const std::string where = fmt::format("{}:{}", r.master_addr, r.master_port);
  const QuietLog quiet;
  try {
    impl_->store = c10::make_intrusive<c10d::TCPStore>(r.master_addr, store_options);
  } catch (const std::exception& error) {
    if (r.rank == 0)
      throw std::runtime_error(
          fmt::format("rank 0 cannot open the rendezvous at {} ({}); choose a free MASTER_PORT",
                      where, first_line(error)));
    throw std::runtime_error(
        fmt::format("rank {} cannot reach the rendezvous at {} within the timeout ({}); start "
                    "rank 0 and check MASTER_ADDR and MASTER_PORT",
                    r.rank, where, first_line(error)));
  }
  // Ranks started with different WORLD_SIZEs would wait for each other until the timeout.
  const std::string key = "requip/world_size";
  try {
    const std::string mine = std::to_string(r.world_size);
    if (r.rank == 0) impl_->store->set(key, std::vector<std::uint8_t>(mine.begin(), mine.end()));
    const std::vector<std::uint8_t> seen = impl_->store->get(key);
    if (const std::string theirs(seen.begin(), seen.end()); theirs != mine)
      throw std::invalid_argument(fmt::format(
          "WORLD_SIZE is {} on rank {} but {} on rank 0; start every rank with the same "
          "WORLD_SIZE",
          mine, r.rank, theirs));
    auto options = c10d::ProcessGroupGloo::Options::create(r.timeout);
    options->devices.push_back(gloo_device(r.master_addr));
    // One worker thread keeps collectives in issue order and leaves the cores to compute.
    options->threads = 1;
    impl_->gloo =
        c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, r.rank, r.world_size, options);
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& error) {
    throw std::runtime_error(
        fmt::format("rank {} could not connect to the other {} ranks through {} ({}); start all "
                    "WORLD_SIZE ranks within the timeout (REQUIP_DIST_TIMEOUT, {} s)",
                    r.rank, r.world_size - 1, where, first_line(error),
                    std::chrono::duration_cast<std::chrono::seconds>(r.timeout).count()));
  }
}

ProcessGroup::~ProcessGroup() = default;

double ProcessGroup::take_wait_seconds() {
  const double seconds = impl_->waited;
  impl_->waited = 0;
  return seconds;
}

void ProcessGroup::allreduce_sum(torch::Tensor& tensor) {
  allreduce_sum_async(tensor).wait();
}

PendingCollective ProcessGroup::allreduce_sum_async(torch::Tensor& tensor) {
  std::vector<torch::Tensor> tensors{tensor};
  return impl_->start(rank_, "allreduce", [&] { return impl_->gloo->allreduce(tensors); });
}

torch::Tensor ProcessGroup::all_to_all(const torch::Tensor& input,
                                       const std::vector<std::int64_t>& send_rows,
                                       const std::vector<std::int64_t>& recv_rows) {
  std::int64_t received = 0;
  for (std::int64_t rows : recv_rows)
    received += rows;
  std::vector<std::int64_t> shape = input.sizes().vec();
  shape[0] = received;
  torch::Tensor in = input.contiguous(), out = torch::empty(shape, input.options());
  std::vector<std::int64_t> out_splits = recv_rows, in_splits = send_rows;
  impl_
      ->start(rank_, "all-to-all",
              [&] { return impl_->gloo->alltoall_base(out, in, out_splits, in_splits); })
      .wait();
  return out;
}

std::vector<std::int64_t> ProcessGroup::exchange_counts(const std::vector<std::int64_t>& send) {
  const std::vector<std::int64_t> ones(send.size(), 1);
  const torch::Tensor got = all_to_all(torch::tensor(send, torch::kLong), ones, ones);
  return {got.data_ptr<std::int64_t>(), got.data_ptr<std::int64_t>() + got.numel()};
}

torch::Tensor ProcessGroup::all_gather(const torch::Tensor& tensor) {
  std::vector<std::int64_t> shape = tensor.sizes().vec();
  shape.insert(shape.begin(), world_size_);
  torch::Tensor out = torch::zeros(shape, tensor.options());
  out[rank_].copy_(tensor);
  // A sum of zeros and each rank's own slice: Gloo's allgather wants per-rank output lists.
  allreduce_sum(out);
  return out;
}

void ProcessGroup::broadcast(torch::Tensor& tensor, int root) {
  std::vector<torch::Tensor> tensors{tensor};
  c10d::BroadcastOptions options;
  options.rootRank = root;
  impl_->start(rank_, "broadcast", [&] { return impl_->gloo->broadcast(tensors, options); }).wait();
}

}  // namespace requip::moe

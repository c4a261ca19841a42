// Writes to a store in an endless loop and acknowledges each write on stdout only after it has
// committed: the child that the crash-safety test kills with SIGKILL.
//   requip_memory_crash_writer DB FIRST_INDEX
#include <fmt/format.h>
#include <unistd.h>

#include <string>

#include "requip/memory/store.hpp"

namespace {

void acknowledge(const std::string& line) {
  // write(2), not stdio: an acknowledgement is either in the pipe or was never made.
  const std::string text = line + "\n";
  if (::write(STDOUT_FILENO, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    ::_exit(3);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: {} DB FIRST_INDEX\n", argv[0]);
    return 2;
  }
  requip::memory::Store store(argv[1]);
  for (long i = std::stol(argv[2]);; ++i) {
    const std::string key = fmt::format("key-{}", i), skill = fmt::format("skill-{}", i % 7);
    store.mappings().upsert(key, skill, "1");
    acknowledge(fmt::format("mapping {}", i));
    requip::memory::FeedbackEntry entry;
    entry.session = "crash";
    entry.turn = i;
    entry.key = key;
    entry.text = "thanks";
    entry.skill = skill;
    store.feedback().append(entry);
    acknowledge(fmt::format("feedback {}", i));
    store.memento()->put("crash", key, std::string(static_cast<std::size_t>(i % 4000), 'v'));
    acknowledge(fmt::format("memento {}", i));
    if (i % 10 == 0) {
      acknowledge(fmt::format("blob {}", store.blobs().put("weights", std::string(50'000, 'w'))));
    }
  }
}

// Opening a store on any database bytes, then reading and writing through it: a file that
// cannot be used must be refused with a StoreError, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

#include "fuzz_file.hpp"
#include "requip/memory/store.hpp"
#include "requip/memory/store_error.hpp"
#include "requip/memory/stored_memento.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = requip::fuzz::input_file(data, size, ".db");
  for (const char* leftover : {"-wal", "-shm"})  // of the previous input
    std::filesystem::remove(file.string() + leftover);
  requip::memory::StoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(0);
  std::unique_ptr<requip::memory::Store> store;
  try {
    store = std::make_unique<requip::memory::Store>(file, options);
  } catch (const requip::memory::StoreError&) {
    return 0;
  }
  try {
    store->stats();
    store->memento()->put("users/fuzz/notes", "note", "milk");
    store->memento()->get("users/fuzz/notes", "note");
    store->memento()->keys("users/local/notes");
  } catch (const std::runtime_error&) {  // damage found past the header, named
  }
  return 0;
}

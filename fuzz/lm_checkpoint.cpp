// The language model's checkpoint loader, on any file.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz_file.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/tensor_pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Files saved before tensor packs go to LibTorch's archive reader: see docs/fuzzing.md.
  if (requip::moe::is_torch_archive({reinterpret_cast<const char*>(data), size})) return 0;
  const auto file = requip::fuzz::input_file(data, size, ".pt");
  try {
    requip::moe::load_checkpoint(file);
  } catch (const std::runtime_error&) {
  }
  return 0;
}

// The labelled TSV loader (`text<TAB>label` rows under a header), on any file.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz_file.hpp"
#include "requip/router/labeled_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = requip::fuzz::input_file(data, size, ".tsv");
  try {
    const auto loaded = requip::router::load_labeled_tsv(file);
    loaded.examples_by_label();
  } catch (const std::runtime_error&) {
  }
  return 0;
}

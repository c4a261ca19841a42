// The calculator plugin's expression parser, on any text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    requip::calculator::evaluate({reinterpret_cast<const char*>(data), size});
  } catch (const requip::calculator::ExpressionError&) {
  }
  return 0;
}

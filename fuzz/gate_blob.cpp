// The router's gate blob loader, on any bytes, then a routing through what it loaded.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "requip/router/gate_model.hpp"
#include "small_gate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  requip::router::GateModel gate(requip::fuzz::small_gate());
  try {
    gate.load(bytes);
  } catch (const std::runtime_error&) {
    return 0;
  }
  std::vector<float> probabilities;
  gate.probabilities("what time is it", std::vector<bool>(gate.experts(), true), probabilities);
  return 0;
}

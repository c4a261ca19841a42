#pragma once

#include "requip/router/gate_model.hpp"

namespace requip::fuzz {

// A gate small enough that a whole blob of it is a few kilobytes, so that libFuzzer mutates
// a blob in microseconds.
inline router::GateConfig small_gate() {
  router::GateConfig config;
  config.dim = 4;
  config.epochs = 2;
  return config;
}

}  // namespace requip::fuzz

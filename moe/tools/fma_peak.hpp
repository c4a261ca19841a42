#pragma once

namespace requip::cli {

// GFLOP/s of `threads` threads doing nothing but independent fp32 fused multiply-adds at the
// widest vector width this CPU runs: the ceiling for any fp32 kernel here, measured in the
// same run as the figures it bounds because a shared machine's ceiling moves.
double fp32_fma_peak_gflop_s(int threads);

}  // namespace requip::cli

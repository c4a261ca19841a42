#pragma once

#include <cstdint>

namespace requip::moe::detail {

enum class Transpose : bool { no = false, yes = true };

// C := alpha op(A) op(B) + beta C, column-major, through the system BLAS (the one LibTorch
// uses). Kernels call it from inside their own parallel loops: OpenBLAS then runs each call on
// the calling thread, so a whole head or expert stays on one core without a fork and join per
// small matrix.
void gemm(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
          float beta, float* c, std::int64_t ldc);

}  // namespace requip::moe::detail

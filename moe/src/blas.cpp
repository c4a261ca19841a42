#include "blas.hpp"

#include <algorithm>

extern "C" void sgemm_(const char* trans_a, const char* trans_b, const int* m, const int* n,
                       const int* k, const float* alpha, const float* a, const int* lda,
                       const float* b, const int* ldb, const float* beta, float* c, const int* ldc);

namespace requip::moe::detail {

void gemm(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
          float beta, float* c, std::int64_t ldc) {
  if (m == 0 || n == 0) return;
  // OpenBLAS applies any beta other than 1 in a pass of its own over C, which for the small
  // products of attention costs several times a plain fill; zero C here and accumulate.
  if (beta == 0.0f) {
    for (std::int64_t column = 0; column < n; ++column)
      std::fill_n(c + column * ldc, m, 0.0f);
    beta = 1.0f;
  }
  const char ta = trans_a == Transpose::yes ? 'T' : 'N';
  const char tb = trans_b == Transpose::yes ? 'T' : 'N';
  const auto i = [](std::int64_t v) { return static_cast<int>(v); };
  const int mi = i(m), ni = i(n), ki = i(k), la = i(lda), lb = i(ldb), lc = i(ldc);
  sgemm_(&ta, &tb, &mi, &ni, &ki, &alpha, a, &la, b, &lb, &beta, c, &lc);
}

}  // namespace requip::moe::detail

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sparse_row_adagrad.hpp"

using requip::router::detail::BagsView;
using requip::router::detail::SparseRowAdagrad;

TEST_CASE("sparse row-wise Adagrad: moves only the batch's rows, by their own accumulators",
          "[router][adagrad]") {
  std::vector<float> table(4 * 2, 1.0f);  // (V=4, W=2)
  std::vector<float> square(4, 0.0f);
  // Bag 0 holds row 1 twice and row 2 once; bag 1 holds row 2.
  const std::vector<std::int64_t> ids{1, 1, 2, 2}, offsets{0, 3};
  const std::vector<float> weights{0.5f, 0.25f, 1.0f, 2.0f};
  const std::vector<float> upstream{1.0f, 2.0f, 3.0f, -1.0f};  // (B=2, W)
  const BagsView bags{ids.data(), weights.data(), ids.size(), offsets.data(), offsets.size()};
  SparseRowAdagrad optimizer(2);

  optimizer.step(table.data(), square.data(), bags, upstream.data(), 0.1);
  // Row 1: 0.75 * (1, 2). Row 2: (1, 2) + 2 * (3, -1) = (7, 0).
  const float square_1 = (0.75f * 0.75f + 1.5f * 1.5f) / 2, square_2 = 49.0f / 2;
  CHECK(square == std::vector<float>{0, square_1, square_2, 0});
  CHECK(table[2] == Approx(1 - 0.1 * 0.75 / std::sqrt(square_1)));
  CHECK(table[3] == Approx(1 - 0.1 * 1.5 / std::sqrt(square_1)));
  CHECK(table[4] == Approx(1 - 0.1 * 7 / std::sqrt(square_2)));
  CHECK(table[5] == 1.0f);
  CHECK(table[0] == 1.0f);
  CHECK(table[7] == 1.0f);

  SECTION("a second step starts from fresh gradients and keeps the accumulators") {
    const float row_1 = table[2];
    optimizer.step(table.data(), square.data(), bags, upstream.data(), 0.1);
    CHECK(square[1] == Approx(2 * square_1));
    CHECK(table[2] == Approx(row_1 - 0.1 * 0.75 / std::sqrt(2 * square_1)));
  }
}

#include "moe_timing.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <algorithm>

#include "stopwatch.hpp"

namespace requip::cli {

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

std::vector<double> race_tokens_per_s(const std::vector<Contender>& contenders, const Race& race) {
  const auto fresh_input = [&] {
    return at::randn({race.tokens, race.d_model}).set_requires_grad(race.input_requires_grad);
  };
  for (const auto& contender : contenders)
    contender(fresh_input());  // warm-up
  std::vector<std::vector<double>> seconds(contenders.size());
  for (int run = 0; run < race.repeats; ++run) {
    for (std::size_t i = 0; i < contenders.size(); ++i) {
      const auto x = fresh_input();
      seconds[i].push_back(seconds_in([&] { contenders[i](x); }));
    }
  }
  std::vector<double> tokens_per_s;
  for (const auto& times : seconds)
    tokens_per_s.push_back(static_cast<double>(race.tokens) / median(times));
  return tokens_per_s;
}

void use_threads(int threads) {
  at::set_num_threads(threads);
}

}  // namespace requip::cli

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "requip/router/gate_model.hpp"
#include "synthetic_skills.hpp"

using namespace requip::router;

namespace {

int top(const GateModel& model, const std::string& text, const GateModel::Mask& allowed) {
  std::vector<float> probabilities;
  model.probabilities(text, allowed, probabilities);
  return static_cast<int>(std::max_element(probabilities.begin(), probabilities.end()) -
                          probabilities.begin());
}

// A gate that knows the four skills' rows but no example: the cold start of online learning.
GateModel cold(const GateConfig& config = requip::test::small_gate()) {
  GateModel model(config);
  model.grow(4);
  return model;
}

}  // namespace

TEST_CASE(
    "gate model online: after a rejection then a confirmation for a text, the "
    "confirmed skill ranks first for it",
    "[router][gate][online]") {
  GateModel model = cold();
  const GateModel::Mask all(4, true);
  const std::string text = "wake me up at six";
  const int rejected = top(model, text, all);
  const int confirmed = (rejected + 1) % 4;
  model.learn(text, rejected, false, all);
  model.learn(text, confirmed, true, all);
  CHECK(top(model, text, all) == confirmed);
}

TEST_CASE("gate model online: a confirmation raises the skill for a similar text",
          "[router][gate][online]") {
  GateModel model = cold();
  const GateModel::Mask all(4, true);
  const auto alarm = [&] {
    std::vector<float> probabilities;
    model.probabilities("set an alarm for six", all, probabilities);
    return probabilities[1];
  };
  const float before = alarm();
  model.learn("set an alarm for eight", 1, true, all);
  CHECK(alarm() > before);
  CHECK(top(model, "set an alarm for six", all) == 1);
}

TEST_CASE(
    "gate model online: earlier confirmations are replayed, so a run of confirmations "
    "for other skills does not undo them",
    "[router][gate][online]") {
  const GateModel::Mask all(4, true);
  const auto taught = [&](int replayed) {
    auto config = requip::test::small_gate();
    config.replayed = replayed;
    GateModel model = cold(config);
    model.learn("wake me up at six", 1, true, all);
    for (int round = 0; round < 3; ++round) {
      for (int row : {0, 2, 3}) {
        const auto& examples = requip::test::synthetic_skills()[static_cast<std::size_t>(row)];
        for (const auto& text : examples.second)
          model.learn(text, row, true, all);
      }
    }
    return top(model, "wake me up at six", all);
  };
  CHECK(taught(8) == 1);
}

TEST_CASE("gate model online: a run of rejections does not drown the confirmations",
          "[router][gate][online]") {
  GateModel model = cold();
  const GateModel::Mask all(4, true);
  int row = 0;
  for (const auto& [name, examples] : requip::test::synthetic_skills()) {
    for (const auto& text : examples) {
      // Every other skill is rejected first, as a user walking down a cold ranking would.
      for (int other = 0; other < 4; ++other)
        if (other != row) model.learn(text, other, false, all);
      model.learn(text, row, true, all);
    }
    ++row;
  }
  // One pass need not fit every text, but each skill keeps most of what it was confirmed for.
  row = 0;
  for (const auto& [name, examples] : requip::test::synthetic_skills()) {
    const auto kept = std::count_if(examples.begin(), examples.end(), [&](const std::string& text) {
      return top(model, text, all) == row;
    });
    CHECK(kept * 2 > static_cast<long>(examples.size()));
    ++row;
  }
}

#include <catch2/catch.hpp>

#include "requip/router/gate_model.hpp"
#include "synthetic_skills.hpp"

using namespace requip::router;

namespace {
GateModel trained(const GateModel::Mask& loaded) {
  GateModel model(requip::test::small_gate());
  model.train(requip::test::synthetic_examples(), loaded);
  return model;
}
}  // namespace

TEST_CASE("gate model: learns the examples and unseen text is unknown", "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  std::vector<float> probabilities;
  model.probabilities("is it going to rain", GateModel::Mask(4, true), probabilities);
  CHECK(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin() == 0);
  CHECK(model.probabilities("qqqq zzzz", GateModel::Mask(4, true), probabilities) < 0.1f);
  CHECK(model.probabilities("set an alarm", GateModel::Mask(4, true), probabilities) == Approx(1));
}

TEST_CASE("gate model: feedback moves a row up or down", "[router][gate]") {
  GateModel model = trained(GateModel::Mask(4, true));
  const GateModel::Mask all(4, true);
  std::vector<float> before, after;
  model.probabilities("play the radio", all, before);
  model.learn("play the radio", 2, true, all);
  model.probabilities("play the radio", all, after);
  CHECK(after[2] > before[2]);
  model.learn("play the radio", 2, false, all);
  model.probabilities("play the radio", all, before);
  CHECK(before[2] < after[2]);
}

TEST_CASE("gate model: saved weights load into a new model that answers the same",
          "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  GateModel copy(requip::test::small_gate());
  copy.load(model.save());
  std::vector<float> a, b;
  model.probabilities("set an alarm", GateModel::Mask(4, true), a);
  copy.probabilities("set an alarm", GateModel::Mask(4, true), b);
  CHECK(a == b);
  CHECK_THROWS_WITH(copy.load("not weights"), Catch::Contains("unreadable"));
}

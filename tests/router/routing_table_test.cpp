#include <catch2/catch.hpp>

#include "requip/router/gate_model.hpp"
#include "synthetic_skills.hpp"

using namespace requip::router;

namespace {

GateModel trained() {
  GateModel model(requip::test::small_gate());
  model.train(requip::test::synthetic_examples(), GateModel::Mask(4, true));
  return model;
}

// Every example, every pair of examples run together, and text the gate never saw.
std::vector<std::string> utterances() {
  std::vector<std::string> texts{"", "xyzzy", "qqqq zzzz", "Will it RAIN?!", "play play play"};
  const auto examples = requip::test::synthetic_examples();
  for (const auto& first : examples) {
    texts.push_back(first.text);
    for (const auto& second : examples)
      texts.push_back(first.text + " " + second.text);
  }
  return texts;
}

// The routing table against the TopKGate modules, utterance by utterance and skill by skill.
void require_same_scores(const GateModel& model, const GateModel::Mask& loaded) {
  std::vector<float> fast;
  for (const auto& text : utterances()) {
    model.probabilities(text, loaded, fast);
    const auto reference = model.probabilities_reference(text, loaded);
    REQUIRE(fast.size() == reference.size());
    for (std::size_t e = 0; e < fast.size(); ++e) {
      INFO(text << " / skill " << e);
      REQUIRE(fast[e] == Approx(reference[e]).margin(1e-5));
      if (e >= loaded.size() || !loaded[e]) REQUIRE(fast[e] == 0.0f);
    }
  }
}

}  // namespace

TEST_CASE("routing table: scores what the TopKGate modules score", "[router][gate][fast]") {
  const GateModel model = trained();
  SECTION("with every skill loaded") {
    require_same_scores(model, GateModel::Mask(4, true));
  }
  SECTION("with unloaded skills masked") {
    require_same_scores(model, {true, false, true, true});
    require_same_scores(model, {false, true, false, false});
  }
  SECTION("with a mask shorter than the gate") {
    require_same_scores(model, {true, true});
  }
}

TEST_CASE("routing table: follows the gate through online feedback", "[router][gate][fast]") {
  GateModel model = trained();
  const GateModel::Mask all(4, true);
  SECTION("a confirmation with n-grams the gate never saw") {
    model.learn("crank up the volume please", 2, true, all);
    require_same_scores(model, all);
    std::vector<float> probabilities;
    CHECK(model.probabilities("crank up the volume", all, probabilities) > 0.9f);
  }
  SECTION("rejections") {
    model.learn("play the radio", 2, false, all);
    model.learn("play the radio", 0, false, all);
    require_same_scores(model, all);
  }
  SECTION("a confirmation for a skill the gate has no row for yet") {
    model.learn("translate this to french", 4, true, GateModel::Mask(5, true));
    REQUIRE(model.experts() == 5);
    require_same_scores(model, GateModel::Mask(5, true));
    require_same_scores(model, {true, true, true, true, false});
  }
  SECTION("a reload of the saved weights") {
    model.learn("crank up the volume", 2, true, all);
    GateModel copy(requip::test::small_gate());
    copy.load(model.save());
    require_same_scores(copy, all);
  }
}

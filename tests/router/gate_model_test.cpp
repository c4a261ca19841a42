#include <torch/serialize.h>

#include <cmath>
#include <sstream>

#include "requip/moe/tensor_pack.hpp"
#include "requip/router/gate_model.hpp"
#include "synthetic_skills.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

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

TEST_CASE("gate model: a blob saved as a LibTorch archive, before tensor packs, still loads",
          "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  std::vector<torch::Tensor> tensors;
  for (auto& named : requip::moe::unpack_tensors(model.save()))
    tensors.push_back(named.tensor);
  std::ostringstream archive;
  torch::save(tensors, archive);
  REQUIRE(requip::moe::is_torch_archive(archive.str()));

  GateModel copy(requip::test::small_gate());
  copy.load(archive.str());
  std::vector<float> a, b;
  model.probabilities("set an alarm", GateModel::Mask(4, true), a);
  copy.probabilities("set an alarm", GateModel::Mask(4, true), b);
  CHECK(a == b);
}

TEST_CASE(
    "gate model: a blob whose tensors do not fit the gate is refused, and the gate "
    "keeps what it knew",
    "[router][gate]") {
  const GateModel model = trained(GateModel::Mask(4, true));
  GateModel kept = trained(GateModel::Mask(4, true));
  const GateModel::Mask all(4, true);
  std::vector<float> before;
  kept.probabilities("play the radio", all, before);
  auto saved = requip::moe::unpack_tensors(model.save());
  const auto refused = [&](std::vector<requip::moe::NamedTensor> tensors) {
    CHECK_THROWS_WITH(kept.load(requip::moe::pack_tensors(tensors)),
                      Catch::Contains("delete the blob to retrain"));
    std::vector<float> after;
    kept.probabilities("play the radio", all, after);
    CHECK(after == before);
  };

  SECTION("document frequencies shorter than the buckets") {
    saved[2].tensor = saved[2].tensor.slice(0, 0, 3);
    refused(saved);
  }
  SECTION("a learned row outside the table") {
    saved[3].tensor = saved[3].tensor.clone();
    saved[3].tensor[0] = std::int64_t{1} << 40;
    refused(saved);
  }
  SECTION("weights of another type") {
    saved[4].tensor = saved[4].tensor.to(torch::kFloat64);
    refused(saved);
  }
  SECTION("weights that are not numbers") {
    saved[6].tensor = torch::full_like(saved[6].tensor, std::nanf(""));
    refused(saved);
  }
  SECTION("a tensor missing") {
    saved.pop_back();
    refused(saved);
  }
  SECTION("no tensors at all") {
    refused({});
  }
}

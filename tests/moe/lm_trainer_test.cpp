#include <torch/utils.h>

#include "lm_fixtures.hpp"
#include "requip/moe/lm_trainer.hpp"
#include "temp_dir.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip;

namespace {

std::vector<double> loss_curve(const moe::CharCorpus& corpus, std::uint64_t seed) {
  moe::TrainConfig training;
  training.steps = 6;
  training.batch_size = 4;
  training.seed = seed;
  moe::LmTrainer trainer(test::tiny_lm_config(corpus.vocab().size()), training, corpus);
  std::vector<double> losses;
  for (std::int64_t i = 0; i < training.steps; ++i)
    losses.push_back(trainer.step());
  return losses;
}

}  // namespace

TEST_CASE("lm trainer: a fixed seed and thread count give identical loss curves",
          "[moe][lm][trainer]") {
  torch::set_num_threads(2);
  const moe::CharCorpus corpus(test::shakespeare(), 16);
  const std::vector<double> first = loss_curve(corpus, 11);
  CHECK(loss_curve(corpus, 11) == first);
  CHECK(loss_curve(corpus, 12) != first);
}

// The CI's learning check: a few hundred steps of a small model beat the best context-free
// guess, so the model has learnt something from the context.
TEST_CASE("lm trainer: a small model's validation loss falls below the unigram entropy",
          "[moe][lm][trainer][slow]") {
  torch::set_num_threads(2);
  const moe::CharCorpus corpus(test::shakespeare(), 32);
  moe::LmConfig model = test::tiny_lm_config(corpus.vocab().size());
  model.block_size = 32;
  moe::TrainConfig training;
  training.steps = 300;
  training.batch_size = 16;
  training.learning_rate = 3e-3;
  training.eval_batches = 20;
  moe::LmTrainer trainer(model, training, corpus);
  const double before = trainer.evaluate(corpus.val());
  const std::vector<moe::EvalPoint> evals = trainer.run();
  const double entropy = corpus.unigram_entropy();
  INFO("val loss " << before << " -> " << evals.back().val_loss << ", unigram entropy " << entropy);
  CHECK(before > entropy);
  CHECK(evals.back().val_loss < entropy);
}

// Writes the seed inputs of the targets that read binary formats, made by the code that
// writes those formats: `fuzz_make_seeds <dir>` fills <dir>/gate_blob, <dir>/lm_checkpoint and
// <dir>/store. script/fuzz runs it before fuzzing.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "requip/memory/store.hpp"
#include "requip/memory/stored_memento.hpp"
#include "requip/moe/lm_checkpoint.hpp"
#include "requip/router/gate_model.hpp"
#include "small_gate.hpp"

namespace fs = std::filesystem;

namespace {

fs::path seed_folder(const fs::path& root, const char* target) {
  fs::create_directories(root / target);
  return root / target;
}

void gate_blob(const fs::path& root) {
  requip::router::GateModel gate(requip::fuzz::small_gate());
  gate.grow(2);
  gate.train({{"what time is it", 0}, {"note that milk", 1}}, {true, true});
  std::ofstream(seed_folder(root, "gate_blob") / "trained", std::ios::binary) << gate.save();
}

void lm_checkpoint(const fs::path& root) {
  requip::moe::LmConfig config;
  config.vocab_size = 4;
  config.block_size = 4;
  config.n_head = 1;
  config.n_layer = 1;
  config.moe = {.d_model = 4, .d_hidden = 4, .experts = 2, .top_k = 1};
  requip::moe::LanguageModel model(config);
  requip::moe::save_checkpoint(seed_folder(root, "lm_checkpoint") / "tiny", model,
                               requip::moe::CharVocab({'a', 'b', 'c', '\n'}));
}

void store(const fs::path& root) {
  const fs::path file = seed_folder(root, "store") / "notes";
  fs::remove(file);
  requip::memory::Store made(file);
  made.memento()->put("users/alice/notes", "1", "milk");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: fuzz_make_seeds <folder>\n");
    return 2;
  }
  gate_blob(argv[1]);
  lm_checkpoint(argv[1]);
  store(argv[1]);
  return 0;
}

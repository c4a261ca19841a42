#include "verse_writer.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/lm_generator.hpp"

namespace {

constexpr std::int64_t verse_characters = 300;

// The model is read-only and large: one copy serves the poet of every conversation.
// Generation takes the model's lock, as its decoder keeps scratch buffers.
struct SharedModel {
  requip::moe::LmCheckpoint checkpoint;
  std::filesystem::path file;
  std::filesystem::file_time_type modified{};
  std::mutex generating;
};

// A retrained model is picked up on the next request, without a reload of the plugin.
std::shared_ptr<SharedModel> shared_model(const std::filesystem::path& file) {
  static std::mutex mutex;
  static std::shared_ptr<SharedModel> current;
  const auto modified = std::filesystem::last_write_time(file);
  std::lock_guard lock(mutex);
  if (current && current->file == file && current->modified == modified) return current;
  auto loaded = std::make_shared<SharedModel>();
  loaded->checkpoint = requip::moe::load_checkpoint(file);
  loaded->checkpoint.model->eval();
  loaded->file = file;
  loaded->modified = modified;
  current = loaded;
  return loaded;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int requip_write_verse(
    const char* model_file, const char* subject, std::uint64_t seed, requip_verse_receive receive,
    void* user) {
  try {
    const auto model = shared_model(model_file);
    const auto& vocab = model->checkpoint.vocab;
    std::string prompt;
    for (const char* c = subject; *c != '\0'; ++c) {
      if (vocab.contains(*c)) prompt += *c;
    }
    requip::moe::SampleOptions options;
    options.count = verse_characters;
    options.temperature = 0.8;
    options.seed = seed;
    std::vector<std::int64_t> ids;
    {
      std::lock_guard lock(model->generating);
      ids = requip::moe::generate(
          model->checkpoint.model,
          vocab.encode(prompt.empty() && vocab.contains('\n') ? "\n" : prompt), options);
    }
    const std::string text = prompt + vocab.decode(ids);
    receive(user, text.data(), text.size());
    return 1;
  } catch (const std::exception& error) {
    const std::string reason = error.what();
    receive(user, reason.data(), reason.size());
    return 0;
  }
}

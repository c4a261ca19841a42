// poet: writes verse with a trained tinymoe language model. The model is the file
// $REQUIP_POET_MODEL, else $XDG_DATA_HOME/requip/tinymoe.pt (~/.local/share/requip/...); with
// none, the poet says how to train one.

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>

#include "requip/moe/lm_checkpoint.hpp"
#include "requip/moe/lm_generator.hpp"
#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using requip::bundled::lowercase;
using requip::bundled::trim_end;

constexpr std::int64_t verse_characters = 300;
constexpr std::size_t verse_lines = 8;

std::filesystem::path model_file() {
  if (const char* file = std::getenv("REQUIP_POET_MODEL"); file != nullptr && *file != '\0')
    return file;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0')
    return std::filesystem::path(xdg) / "requip" / "tinymoe.pt";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "requip" /
         "tinymoe.pt";
}

std::string how_to_train(const std::filesystem::path& file) {
  return fmt::format(
      "Train one with: requip train --out {} (the full 5000 steps take about half an hour on "
      "two cores; --steps 1000 gives a rougher poet in a few minutes).",
      file.string());
}

// The subject after "about", kept to the characters the model knows.
std::string subject_of(const std::string& text, const requip::moe::CharVocab& vocab) {
  const auto about = lowercase(text).find(" about ");
  if (about == std::string::npos) return {};
  std::string subject;
  for (const char c : trim_end(text.substr(about + 7)))
    if (vocab.contains(c)) subject += c;
  return subject;
}

// The model is read-only and large: one copy per library serves the poet of every
// conversation. Generation takes the model's lock, as its decoder keeps scratch buffers.
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

class Poet final : public requip::Skill {
 public:
  std::string name() const override { return "poet"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override {
    return "writes verse with a tinymoe model trained on Shakespeare";
  }
  std::vector<std::string> examples() const override {
    return {"write a poem", "write me a poem about the sea", "recite some verse",
            "compose a sonnet about love"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string text = lowercase(stimulus.ear);
    for (std::string_view word : {"poem", "verse", "sonnet", "poetry", "poet"}) {
      if (text.find(word) != std::string::npos) return write(stimulus.ear);
    }
    return std::nullopt;
  }

 private:
  requip::Algorithm write(const std::string& request) {
    const auto file = model_file();
    if (!std::filesystem::exists(file)) {
      return requip::Algorithm::say_lines(
          {fmt::format("I have no model to write with yet ({} does not exist).", file.string()),
           how_to_train(file)});
    }
    std::shared_ptr<SharedModel> model;
    try {
      model = shared_model(file);
    } catch (const std::exception& error) {
      return requip::Algorithm::say_lines(
          {fmt::format("I cannot use my model: {}", error.what()), how_to_train(file)});
    }
    return requip::Algorithm::say_lines(
        verse(*model, subject_of(request, model->checkpoint.vocab)));
  }

  std::vector<std::string> verse(SharedModel& model, const std::string& subject) {
    requip::moe::SampleOptions options;
    options.count = verse_characters;
    options.temperature = 0.8;
    options.seed = random_();
    const auto& vocab = model.checkpoint.vocab;
    auto prompt = vocab.encode(subject.empty() && vocab.contains('\n') ? "\n" : subject);
    std::vector<std::int64_t> ids;
    {
      std::lock_guard lock(model.generating);
      ids = requip::moe::generate(model.checkpoint.model, std::move(prompt), options);
    }
    std::vector<std::string> lines;
    std::string line;
    // The last line, cut off by the character count, is left out unless it is all there is.
    for (const char c : subject + vocab.decode(ids)) {
      if (c != '\n') {
        line += c;
      } else if (!trim_end(line, " ").empty() && lines.size() < verse_lines) {
        lines.push_back(std::move(line));
        line.clear();
      } else {
        line.clear();
      }
    }
    if (lines.empty()) lines.push_back(line.empty() ? "..." : line);
    return lines;
  }

  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace

REQUIP_EXPORT_SKILL(Poet)

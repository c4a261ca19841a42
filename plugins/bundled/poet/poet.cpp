// poet: writes verse with a trained tinymoe language model. The model is the file
// $REQUIP_POET_MODEL, else the user's own $XDG_DATA_HOME/requip/tinymoe.pt
// (~/.local/share/requip/...) when there is one, else the model that ships with requip.

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>

#include "requip/plugin.hpp"
#include "text.hpp"
#include "verse_writer.hpp"

namespace {

using requip::bundled::lowercase;
using requip::bundled::trim_end;

constexpr std::size_t verse_lines = 8;

std::filesystem::path user_model_file() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0')
    return std::filesystem::path(xdg) / "requip" / "tinymoe.pt";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "requip" /
         "tinymoe.pt";
}

// The first place the file is: where this build put it, where it is installed relative to
// the running program (a requip moved with its prefix), then where it was to be installed.
// (The host loads a private copy of this library, so the plugin cannot find its files from
// its own path.)
std::filesystem::path first_existing(const char* built, const char* from_program,
                                     const char* installed) {
  std::error_code error;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", error);
  for (const auto& file :
       {std::filesystem::path(built), (program.parent_path() / from_program).lexically_normal(),
        std::filesystem::path(installed)}) {
    if (std::filesystem::exists(file, error)) return file;
  }
  return {};
}

std::filesystem::path model_file() {
  if (const char* file = std::getenv("REQUIP_POET_MODEL"); file != nullptr && *file != '\0')
    return file;
  auto user = user_model_file();
  if (std::filesystem::exists(user)) return user;
  auto shipped = first_existing(REQUIP_POET_MODEL_IN_SOURCE, REQUIP_POET_MODEL_FROM_PROGRAM,
                                REQUIP_POET_MODEL_INSTALLED);
  return shipped.empty() ? user : shipped;
}

std::string how_to_train(const std::filesystem::path& file) {
  return fmt::format(
      "Train one with: requip train --out {} (the full 5000 steps take about half an hour on "
      "two cores; --steps 1000 gives a rougher poet in a few minutes).",
      file.string());
}

// The subject after "about".
std::string subject_of(const std::string& text) {
  const auto about = lowercase(text).find(" about ");
  if (about == std::string::npos) return {};
  return trim_end(text.substr(about + 7));
}

// The verse writer, loaded at the first poem and kept for the life of the process.
requip_write_verse_fn verse_writer(std::string& failure) {
  static std::mutex mutex;
  static requip_write_verse_fn writer = nullptr;
  static std::string reason;
  std::lock_guard lock(mutex);
  if (writer == nullptr && reason.empty()) {
    const auto library = first_existing(REQUIP_POET_WRITER_BUILT, REQUIP_POET_WRITER_FROM_PROGRAM,
                                        REQUIP_POET_WRITER_INSTALLED);
    void* handle = library.empty() ? nullptr : dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr)
      writer = reinterpret_cast<requip_write_verse_fn>(dlsym(handle, REQUIP_WRITE_VERSE_SYMBOL));
    if (writer == nullptr) {
      reason = library.empty() ? fmt::format("my verse writer is not installed (looked for {})",
                                             REQUIP_POET_WRITER_INSTALLED)
                               : fmt::format("my verse writer {} did not load: {}",
                                             library.string(), dlerror());
    }
  }
  failure = reason;
  return writer;
}

class Poet final : public requip::Skill {
 public:
  std::string name() const override { return "poet"; }
  std::string version() const override { return "1.1.0"; }
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
    std::string failure;
    const auto writer = verse_writer(failure);
    if (writer == nullptr)
      return requip::Algorithm::say(fmt::format("I cannot write: {}", failure));
    std::string text;
    const auto receive = [](void* user, const char* data, std::size_t size) {
      static_cast<std::string*>(user)->assign(data, size);
    };
    if (writer(file.c_str(), subject_of(request).c_str(), random_(), receive, &text) == 0) {
      return requip::Algorithm::say_lines(
          {fmt::format("I cannot use my model: {}", text), how_to_train(file)});
    }
    return requip::Algorithm::say_lines(lines_of(text));
  }

  // The verse's first lines. The last, cut off by the character count, is left out unless it
  // is all there is.
  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    for (const char c : text) {
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

// notes: take, list and delete notes, kept in the brain's memento through memory(), so they
// outlive the process when the memento is durable.

#include <fmt/format.h>

#include <charconv>

#include "requip/plugin.hpp"
#include "text.hpp"

namespace {

using requip::bundled::lowercase;

class Notes final : public requip::Skill {
 public:
  std::string name() const override { return "notes"; }
  std::string version() const override { return "1.0.0"; }
  std::string description() const override { return "takes, lists and deletes notes"; }
  std::vector<std::string> examples() const override {
    return {"take a note buy milk", "note: call mum", "list my notes", "delete note 2"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string text = lowercase(stimulus.ear);
    for (std::string_view prefix : {"take a note ", "add a note ", "note: ", "note "}) {
      if (text.starts_with(prefix)) return take(stimulus.ear.substr(prefix.size()));
    }
    for (std::string_view prefix : {"delete note ", "remove note ", "forget note "}) {
      if (text.starts_with(prefix)) return erase(text.substr(prefix.size()));
    }
    if (text == "notes" || text == "list notes" || text == "list my notes" ||
        text == "show my notes" || text == "show notes" || text == "my notes") {
      return list();
    }
    return std::nullopt;
  }

 private:
  requip::Algorithm take(std::string_view text) {
    auto memory = this->memory();
    const std::string next = memory.get("next").value_or("1");
    const long id = std::stol(next);
    // Zero-padded keys list in the order the notes were taken.
    memory.put(fmt::format("note-{:08}", id), text);
    memory.put("next", std::to_string(id + 1));
    return requip::Algorithm::say(fmt::format("Noted ({} in total).", note_keys().size()));
  }

  requip::Algorithm list() const {
    const auto keys = note_keys();
    if (keys.empty()) return requip::Algorithm::say("You have no notes.");
    std::vector<std::string> lines{
        fmt::format("You have {} note{}:", keys.size(), keys.size() == 1 ? "" : "s")};
    for (std::size_t i = 0; i < keys.size(); ++i)
      lines.push_back(fmt::format("{}. {}", i + 1, memory().get(keys[i]).value_or("")));
    return requip::Algorithm::say_lines(std::move(lines));
  }

  requip::Algorithm erase(std::string_view number) {
    const auto keys = note_keys();
    std::size_t index = 0;
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
    if (error != std::errc() || end != number.data() + number.size() || index == 0 ||
        index > keys.size()) {
      return requip::Algorithm::say(fmt::format(
          "There is no note '{}'; give a number from 1 to {} ('list my notes' shows them).", number,
          keys.size()));
    }
    auto memory = this->memory();
    const std::string text = memory.get(keys[index - 1]).value_or("");
    memory.erase(keys[index - 1]);
    return requip::Algorithm::say(fmt::format("Deleted note {}: {}", index, text));
  }

  std::vector<std::string> note_keys() const {
    std::vector<std::string> keys;
    for (auto& key : memory().keys())
      if (key.starts_with("note-")) keys.push_back(std::move(key));
    return keys;
  }
};

}  // namespace

REQUIP_EXPORT_SKILL(Notes)

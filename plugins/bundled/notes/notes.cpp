// notes: take, list and delete notes, kept in the brain's memento through memory(), so they
// outlive the process when the memento is durable.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>

#include "requip/plugin.hpp"
#include "spoken_numbers.hpp"
#include "text.hpp"

namespace {

using requip::bundled::lowercase;
using requip::bundled::words_of;

// How a note is dictated; the longer phrase first, so that "note that x" keeps no "that".
constexpr std::array<std::string_view, 20> take_prefixes{
    "take a note that ", "take a note: ", "take a note ", "make a note that ",
    "make a note to ",   "make a note: ", "make a note ", "add a note that ",
    "add a note: ",      "add a note ",   "add note ",    "new note: ",
    "new note ",         "note that ",    "note: ",       "note ",
    "remember that ",    "remember to ",  "write down ",  "jot down "};

// "take a note", "make a note:": a take prefix with nothing after it, which asks for the text.
bool only_a_take_prefix(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == ':' || text.back() == '.'))
    text.remove_suffix(1);
  return !text.empty() && std::any_of(take_prefixes.begin(), take_prefixes.end(), [&](auto prefix) {
    while (prefix.back() == ' ' || prefix.back() == ':')
      prefix.remove_suffix(1);
    return prefix == text;
  });
}

// The topic of the follow-up question "take a note" asks.
constexpr std::string_view note_question = "note text";

std::string trimmed_note(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == ':'))
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return std::string(text);
}

// "show me my notes", "what notes do I have", "read me all my notes": the word "notes" and
// nothing but words that ask for them.
bool asks_for_the_list(const std::vector<std::string>& words) {
  static const std::set<std::string_view> asking{
      "show", "me",  "my",     "list",    "read", "what", "are",     "whats", "what's",
      "all",  "the", "tell",   "display", "see",  "do",   "i",       "have",  "get",
      "can",  "you", "please", "give",    "open", "any",  "current", "notes"};
  bool notes = false;
  for (const auto& word : words) {
    if (!asking.contains(word)) return false;
    notes = notes || word == "notes";
  }
  return notes;
}

// Which note a deletion means: "note 2", "note two", "the second note", "my last note"
// (0 for the last, since how many there are is not known here).
std::optional<std::size_t> note_number(const std::vector<std::string>& words) {
  std::optional<std::size_t> number;
  bool note = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "note" || word == "the" || word == "my" || word == "number") {
      note = note || word == "note";
      continue;
    }
    if (number) return std::nullopt;
    if (word == "last") {
      number = 0;
    } else if (auto ordinal = requip::bundled::spoken_ordinal(word); ordinal && *ordinal > 0) {
      number = static_cast<std::size_t>(*ordinal);
    } else if (auto spoken = requip::bundled::spoken_number(words, i);
               spoken && spoken->value >= 1 &&
               spoken->value == static_cast<double>(static_cast<std::size_t>(spoken->value))) {
      number = static_cast<std::size_t>(spoken->value);
      i += spoken->words - 1;
    } else {
      return std::nullopt;
    }
  }
  if (!note) return std::nullopt;
  return number;
}

class Notes final : public requip::Skill {
 public:
  std::string name() const override { return "notes"; }
  std::string version() const override { return "1.2.0"; }
  std::string description() const override {
    return "takes notes ('note that ...'), reads them back and deletes them";
  }
  std::vector<std::string> examples() const override {
    return {"take a note buy milk",
            "note that the meeting moved to friday",
            "add a note: water the plants",
            "remember that the code is 1234",
            "make a note to call the bank",
            "write down pick up the parcel",
            "list my notes",
            "show me my notes",
            "what are my notes",
            "read me my notes",
            "delete note 2",
            "remove the first note"};
  }

  std::optional<requip::Algorithm> input(const requip::Stimulus& stimulus) override {
    const std::string text = requip::bundled::trim_end(lowercase(stimulus.ear));
    for (std::string_view prefix : take_prefixes) {
      if (text.starts_with(prefix) && text.size() > prefix.size()) {
        return take(trimmed_note(std::string_view(stimulus.ear).substr(prefix.size())));
      }
    }
    for (std::string_view prefix : {"delete ", "remove ", "forget ", "erase "}) {
      if (!text.starts_with(prefix)) continue;
      const auto words = words_of(text.substr(prefix.size()));
      if (auto index = note_number(words)) return erase(*index == 0 ? note_keys().size() : *index);
      if (std::find(words.begin(), words.end(), "note") != words.end()) {
        return requip::Algorithm::say(
            "Which note? Give its number, e.g. 'delete note 2' ('list my notes' shows them).");
      }
    }
    if (only_a_take_prefix(text)) {
      ask_follow_up(std::string(note_question));
      return requip::Algorithm::say("What should the note say?");
    }
    if (asks_for_the_list(words_of(text))) return list();
    return std::nullopt;
  }

  // The answer to "What should the note say?" is the note, whatever it says.
  std::optional<requip::Algorithm> follow_up(std::string_view topic,
                                             const requip::Stimulus& answer) override {
    const std::string note = trimmed_note(answer.ear);
    if (topic != note_question || note.empty()) return std::nullopt;
    return take(note);
  }

 private:
  requip::Algorithm take(std::string_view text) {
    // Keys list in the order the notes were taken. Made from the time rather than a counter
    // read and written back, so that two replicas taking a user's notes at once never pick the
    // same key; the random part keeps apart two replicas' notes of the same microsecond.
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    last_taken_ = std::max<std::int64_t>(now, last_taken_ + 1);
    memory().put(fmt::format("note-{:016}-{:08x}", last_taken_, random_()), text);
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

  requip::Algorithm erase(std::size_t index) {
    const auto keys = note_keys();
    if (index == 0 || index > keys.size()) {
      return requip::Algorithm::say(
          keys.empty() ? std::string("You have no notes to delete.")
                       : fmt::format("There is no note {}; give a number from 1 to {} ('list my "
                                     "notes' shows them).",
                                     index, keys.size()));
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

  std::int64_t last_taken_ = 0;  // microseconds, of this instance's latest note
  std::minstd_rand random_{std::random_device{}()};
};

}  // namespace

REQUIP_EXPORT_SKILL(Notes)

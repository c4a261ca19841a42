#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "requip/core/brain.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::answering;
using requip::test::ScriptedSkill;

namespace {

// A skill that asks "What should the note say?" for "take a note" and takes any answer.
std::shared_ptr<ScriptedSkill> note_taker() {
  auto notes = std::make_shared<ScriptedSkill>("notes");
  ScriptedSkill* self = notes.get();
  notes->on_input = [self](const Stimulus& stimulus) -> std::optional<Algorithm> {
    if (stimulus.ear != "take a note") return std::nullopt;
    self->ask_follow_up("note");
    return Algorithm::say("What should the note say?");
  };
  notes->on_follow_up = [](std::string_view, const Stimulus& answer) {
    return Algorithm::say("Noted: " + answer.ear);
  };
  return notes;
}

}  // namespace

TEST_CASE("follow-up: the skill that asked gets the next input first, and only that one",
          "[core][brain][follow-up]") {
  Brain brain;
  auto notes = note_taker();
  auto parrot = answering("parrot", {"squawk"});
  brain.add(notes);
  brain.add(parrot);

  REQUIRE(brain.converse("take a note").lines ==
          std::vector<std::string>{"What should the note say?", "squawk"});
  const Reply answer = brain.converse("buy milk");
  CHECK(answer.lines == std::vector<std::string>{"Noted: buy milk"});
  CHECK(answer.skill == "notes");
  CHECK(notes->answers == std::vector<std::string>{"note: buy milk"});
  CHECK(parrot->heard == std::vector<std::string>{"take a note"});  // not the answer

  // Answered once: the input after it is routed as usual.
  CHECK(brain.converse("buy bread").lines == std::vector<std::string>{"squawk"});
  CHECK(notes->answers.size() == 1);
}

TEST_CASE("follow-up: a skill that declines the answer lets the input be routed as usual",
          "[core][brain][follow-up]") {
  Brain brain;
  auto notes = note_taker();
  notes->on_follow_up = [](std::string_view, const Stimulus&) { return std::nullopt; };
  auto parrot = answering("parrot", {"squawk"});
  brain.add(notes);
  brain.add(parrot);

  brain.converse("take a note");
  const Reply reply = brain.converse("what time is it");
  CHECK(reply.lines == std::vector<std::string>{"squawk"});
  CHECK(notes->answers == std::vector<std::string>{"note: what time is it"});
  CHECK(notes->heard == std::vector<std::string>{"take a note", "what time is it"});
}

TEST_CASE("follow-up: after its timeout the question lapses and the next input routes as usual",
          "[core][brain][follow-up]") {
  BrainOptions options;
  options.follow_up_timeout = std::chrono::milliseconds(50);
  Brain brain(nullptr, options);
  auto notes = note_taker();
  brain.add(notes);
  brain.add(answering("parrot", {"squawk"}));

  brain.converse("take a note");
  CHECK(brain.kokoro().follow_up());
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  CHECK(brain.converse("buy milk").lines == std::vector<std::string>{"squawk"});
  CHECK(notes->answers.empty());
  CHECK_FALSE(brain.kokoro().follow_up());
}

TEST_CASE("follow-up: a skill's own timeout overrides the agent's", "[core][brain][follow-up]") {
  Brain brain;  // the agent's default: a minute
  auto notes = note_taker();
  ScriptedSkill* self = notes.get();
  notes->on_input = [self](const Stimulus&) {
    self->ask_follow_up("note", std::chrono::milliseconds(30));
    return Algorithm::say("What should the note say?");
  };
  brain.add(notes);
  brain.converse("take a note");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  brain.converse("buy milk");
  CHECK(notes->answers.empty());
}

TEST_CASE("follow-up: a question asked in one conversation is never answered from another",
          "[core][brain][follow-up]") {
  auto agent = std::make_shared<Agent>();
  std::vector<std::shared_ptr<ScriptedSkill>> instances;
  agent->add(skill_factory([&instances] {
    auto notes = note_taker();
    instances.push_back(notes);
    return notes;
  }));
  agent->add(skill_factory([] { return answering("parrot", {"squawk"}); }));
  Brain alice(agent, "alice");
  Brain bob(agent, "bob");

  alice.converse("take a note");
  CHECK(bob.converse("buy bread").lines == std::vector<std::string>{"squawk"});
  CHECK(alice.converse("buy milk").lines == std::vector<std::string>{"Noted: buy milk"});
  std::vector<std::string> answered_by;  // the users whose instance got an answer
  for (const auto& notes : instances) {
    if (!notes->answers.empty()) answered_by.push_back(notes->kokoro().user());
  }
  CHECK(answered_by == std::vector<std::string>{"alice"});
}

TEST_CASE("follow-up: an aware skill decides whether an input answers the question",
          "[core][brain][follow-up]") {
  Brain brain;
  auto router = std::make_shared<ScriptedSkill>("router", SkillKind::aware);
  router->on_perceive = [](Turn& turn) {
    if (!turn.follow_up()) return;
    if (turn.stimulus().ear == "thanks") {
      turn.keep_follow_up();
      turn.answer(Algorithm::say("You're welcome."));
    } else if (turn.stimulus().ear == "never mind") {
      turn.cancel_follow_up();
      turn.answer(Algorithm::say("OK."));
    }
  };
  auto notes = note_taker();
  brain.add(router);
  brain.add(notes);

  SECTION("an input it keeps the question through is not the answer; the next one is") {
    brain.converse("take a note");
    CHECK(brain.converse("thanks").lines == std::vector<std::string>{"You're welcome."});
    CHECK(brain.converse("buy milk").lines == std::vector<std::string>{"Noted: buy milk"});
    CHECK(notes->answers == std::vector<std::string>{"note: buy milk"});
  }
  SECTION("an input that cancels the question drops it") {
    brain.converse("take a note");
    CHECK(brain.converse("never mind").lines == std::vector<std::string>{"OK."});
    CHECK_FALSE(brain.converse("buy milk").answered());
    CHECK(notes->answers.empty());
  }
}

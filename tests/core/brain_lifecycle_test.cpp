#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "requip/core/unavailable.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::answering;
using requip::test::ScriptedSkill;

TEST_CASE("brain: attach and detach hooks run when a skill joins and leaves",
          "[core][brain][lifecycle]") {
  auto skill = std::make_shared<ScriptedSkill>("hooked");
  {
    Brain brain;
    brain.add(skill);
    CHECK(skill->events == std::vector<std::string>{"attach"});
    CHECK(skill->attached());
    brain.remove("hooked");
    CHECK(skill->events == std::vector<std::string>{"attach", "detach"});
    CHECK_FALSE(skill->attached());
    brain.add(skill);
  }
  // Destroying the brain detaches what it still holds.
  CHECK(skill->events == std::vector<std::string>{"attach", "detach", "attach", "detach"});
}

TEST_CASE("brain: a replacement takes over the saved state of the skill it replaces",
          "[core][brain][lifecycle]") {
  Brain brain;
  auto old_version = std::make_shared<ScriptedSkill>("notes");
  old_version->state = "3 notes";
  brain.add(old_version);
  auto new_version = std::make_shared<ScriptedSkill>("notes");
  brain.add(new_version);

  CHECK(new_version->state == "3 notes");
  CHECK(old_version->events.back() == "detach");
  CHECK(brain.skills().size() == 1);
  CHECK(brain.skill("notes") == new_version);
}

TEST_CASE("brain: skills added or removed during a turn take effect when the turn ends",
          "[core][brain][lifecycle]") {
  Brain brain;
  auto late = answering("late", {"late answer"});
  auto leaving = answering("leaving", {"still here"});
  auto manager = std::make_shared<ScriptedSkill>("manager", SkillKind::aware);
  manager->on_perceive = [&](Turn& turn) {
    turn.brain().add(late);
    turn.brain().remove("leaving");
    CHECK_FALSE(turn.brain().has("late"));
    CHECK(turn.brain().has("leaving"));
  };
  brain.add(manager);
  brain.add(leaving);

  Reply first = brain.converse("change");
  CHECK(first.lines == std::vector<std::string>{"still here"});  // leaving saw the input
  CHECK(late->heard.empty());                                    // late did not
  CHECK(brain.has("late"));
  CHECK_FALSE(brain.has("leaving"));

  manager->on_perceive = nullptr;
  CHECK(brain.converse("again").lines == std::vector<std::string>{"late answer"});
}

TEST_CASE("brain: a skill that throws is contained and reported", "[core][brain]") {
  Brain brain;
  auto faulty = std::make_shared<ScriptedSkill>("faulty");
  faulty->on_input = [](const Stimulus&) -> std::optional<Algorithm> {
    throw std::runtime_error("disk on fire");
  };
  brain.add(faulty);
  brain.add(answering("steady", {"fine"}));

  Reply reply = brain.converse("hi");
  CHECK(reply.lines == std::vector<std::string>{"fine"});
  REQUIRE(reply.notices.size() == 1);
  CHECK(reply.notices[0] == "skill 'faulty' failed in input: disk on fire");
}

namespace {

// What a library throws when something it needs cannot be reached for now.
struct ServerGone : std::runtime_error, requip::Unavailable {
  ServerGone() : std::runtime_error("database server gone; try again") {}
  const char* reason() const noexcept override { return what(); }
};

}  // namespace

TEST_CASE("brain: an Unavailable from a skill marks the reply unavailable and blames no skill",
          "[core][brain]") {
  Brain brain;
  auto needy = std::make_shared<ScriptedSkill>("needy");
  needy->on_input = [](const Stimulus&) -> std::optional<Algorithm> { throw ServerGone(); };
  brain.add(needy);
  brain.add(answering("steady", {"fine"}));

  Reply reply = brain.converse("hi");
  CHECK(reply.unavailable == "database server gone; try again");
  CHECK(reply.notices.empty());
  CHECK(reply.lines == std::vector<std::string>{"fine"});
  // The next turn, with the server back, is an ordinary one.
  needy->on_input = nullptr;
  CHECK(brain.converse("hi again").unavailable.empty());
}

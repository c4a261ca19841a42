#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <atomic>

#include "requip/core/brain.hpp"
#include "scripted_skill.hpp"

using namespace requip;
using requip::test::ScriptedSkill;

namespace {

// A notes skill as a plugin author writes one: remembers what it is told in memory().
class Notebook final : public Skill {
 public:
  explicit Notebook(std::atomic<int>* made = nullptr) {
    if (made) ++*made;
  }
  std::string name() const override { return "notes"; }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    if (stimulus.ear.starts_with("note ")) {
      memory().put("note", stimulus.ear.substr(5));
      return Algorithm::say("noted");
    }
    if (stimulus.ear == "list") return Algorithm::say(memory().get("note").value_or("no notes"));
    if (stimulus.ear == "cheer") {
      kokoro().set_emotion("happy");
      return Algorithm::say("yay");
    }
    return std::nullopt;
  }
};

// Counts the turns it answered, and hands the count to its next version.
class Counter final : public Skill {
 public:
  explicit Counter(std::string version) : version_(std::move(version)) {}
  std::string name() const override { return "counter"; }
  std::optional<Algorithm> input(const Stimulus&) override {
    return Algorithm::say(fmt::format("{} {}", ++count_, version_));
  }
  std::string save_state() const override { return std::to_string(count_); }
  void restore_state(std::string_view state) override { count_ = std::stoi(std::string(state)); }

 private:
  int count_ = 0;
  std::string version_;
};

std::string said(const Reply& reply) {
  return reply.lines.empty() ? std::string() : reply.lines.front();
}

}  // namespace

TEST_CASE("agent: each conversation keeps its user's memory and emotion to itself",
          "[core][agent][privacy]") {
  auto agent = std::make_shared<Agent>();
  agent->add(skill_factory<Notebook>());
  Brain alice(agent, "alice");
  Brain bob(agent, "bob");

  SECTION("a note is listed for its writer only") {
    CHECK(said(alice.converse("note my bank pin is 4321")) == "noted");
    CHECK(said(bob.converse("list")) == "no notes");
    CHECK(said(alice.converse("list")) == "my bank pin is 4321");
    SECTION("and a new conversation of the same user sees it again") {
      Brain alice_again(agent, "alice");
      CHECK(said(alice_again.converse("list")) == "my bank pin is 4321");
    }
  }
  SECTION("the emotion one conversation shows never reaches another") {
    CHECK(alice.converse("cheer").emotion == "happy");
    CHECK(bob.converse("list").emotion.empty());
  }
}

TEST_CASE("agent: a skill instance is made per conversation, when it is first needed",
          "[core][agent]") {
  std::atomic<int> made{0};
  auto agent = std::make_shared<Agent>();
  agent->add(skill_factory([&made] { return std::make_shared<Notebook>(&made); }));
  const int probes = made;  // the factory describes the skill with one probe instance
  Brain alice(agent, "alice");
  Brain bob(agent, "bob");
  CHECK(made == probes);  // opening a conversation makes nothing
  alice.converse("list");
  alice.converse("list");
  CHECK(made == probes + 1);
  bob.converse("list");
  CHECK(made == probes + 2);
  CHECK(alice.skill("notes") != bob.skill("notes"));
}

TEST_CASE("agent: a replaced skill reaches each conversation at its next turn, with its state",
          "[core][agent][reload]") {
  auto agent = std::make_shared<Agent>();
  const auto counter = [](const char* version) {
    return [version] { return std::make_shared<Counter>(version); };
  };
  agent->add(skill_factory(counter("v1")));
  Brain alice(agent, "alice");
  Brain bob(agent, "bob");
  alice.converse("count");
  alice.converse("count");
  bob.converse("count");

  agent->add(skill_factory(counter("v2")));
  CHECK(said(alice.converse("count")) == "3 v2");  // alice's own count, handed over
  CHECK(said(bob.converse("count")) == "2 v2");    // and bob's
  Brain carol(agent, "carol");
  CHECK(said(carol.converse("count")) == "1 v2");
}

TEST_CASE("agent: a removed skill leaves every conversation at its next turn", "[core][agent]") {
  auto agent = std::make_shared<Agent>();
  auto instance = std::make_shared<ScriptedSkill>("leaving");
  agent->add(skill_factory([instance] { return instance; }));
  Brain brain(agent, "alice");
  brain.converse("hello");
  REQUIRE(instance->attached());
  agent->remove("leaving");
  brain.converse("hello again");
  CHECK_FALSE(instance->attached());
  CHECK_FALSE(brain.has("leaving"));
}

TEST_CASE("agent: memory a skill asks to share is seen by every user", "[core][agent][memory]") {
  auto agent = std::make_shared<Agent>();
  auto writer = std::make_shared<ScriptedSkill>("board");
  Brain alice(agent, "alice");
  alice.add(writer);
  Brain bob(agent, "bob");
  auto reader = std::make_shared<ScriptedSkill>("board");
  bob.add(reader);
  writer->on_input = [raw = writer.get()](const Stimulus&) {
    raw->shared().put("motd", "hello all");
    raw->own().put("draft", "alice only");
    return std::nullopt;
  };
  alice.converse("post");
  CHECK(reader->shared().get("motd") == "hello all");
  CHECK_FALSE(reader->own().get("draft"));
}

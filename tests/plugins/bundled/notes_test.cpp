#include <catch2/catch.hpp>

#include "bundled_plugin.hpp"
#include "requip/core/in_memory_memento.hpp"

using requip::Brain;
using requip::test::answer;
using requip::test::bundled_skill;

TEST_CASE("notes plugin: takes, lists and deletes notes", "[plugins][notes]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("notes", brain, isolation));
  CHECK(answer(brain, "list my notes") == std::vector<std::string>{"You have no notes."});
  answer(brain, "take a note buy milk");
  answer(brain, "note: call Mum");
  CHECK(answer(brain, "list my notes") ==
        std::vector<std::string>{"You have 2 notes:", "1. buy milk", "2. call Mum"});
  CHECK(answer(brain, "delete note 1") == std::vector<std::string>{"Deleted note 1: buy milk"});
  CHECK_THAT(answer(brain, "delete note 7")[0], Catch::StartsWith("There is no note 7;"));
  CHECK(answer(brain, "list my notes") ==
        std::vector<std::string>{"You have 1 note:", "1. call Mum"});
}

TEST_CASE("notes plugin: \"take a note\" alone asks what the note should say",
          "[plugins][notes][follow-up]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("notes", brain, isolation));
  CHECK(answer(brain, "take a note") == std::vector<std::string>{"What should the note say?"});
  CHECK(answer(brain, "list my notes") == std::vector<std::string>{"Noted (1 in total)."});
  CHECK(answer(brain, "list my notes") ==
        std::vector<std::string>{"You have 1 note:", "1. list my notes"});
}

TEST_CASE("notes plugin: notes live in the memento, so another brain sharing it sees them",
          "[plugins][notes]") {
  REQUIP_EACH_ISOLATION(isolation);
  auto memento = std::make_shared<requip::InMemoryMemento>();
  {
    Brain first(memento);
    first.add(bundled_skill("notes", first, isolation));
    answer(first, "take a note water the plants");
  }
  Brain second(memento);
  second.add(bundled_skill("notes", second, isolation));
  CHECK(answer(second, "list my notes") ==
        std::vector<std::string>{"You have 1 note:", "1. water the plants"});
}

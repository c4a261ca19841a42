#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "requip/core/null_skill.hpp"

using namespace requip;

TEST_CASE("null skill: looking up a missing skill gives one that does nothing",
          "[core][null_skill]") {
  Brain brain;
  std::shared_ptr<Skill> missing = brain.skill("nobody");
  REQUIRE(missing);
  CHECK(missing->name() == "null");
  CHECK_FALSE(missing->input(Stimulus{"anything", {}, {}}));
  CHECK_FALSE(missing->tick());
  CHECK(missing->save_state().empty());
}

TEST_CASE("null skill: a brain hosting it stays silent and healthy", "[core][null_skill]") {
  Brain brain;
  brain.add(make_null_skill());
  Reply reply = brain.converse("hello?");
  CHECK_FALSE(reply.answered());
  CHECK(reply.skill.empty());
  CHECK(reply.notices.empty());
  CHECK(reply.error.empty());
}

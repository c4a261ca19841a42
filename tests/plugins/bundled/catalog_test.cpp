#include <catch2/catch.hpp>

#include "bundled_plugin.hpp"

using requip::Brain;
using requip::test::answer;
using requip::test::bundled_skill;

TEST_CASE("catalog plugin: lists every skill of the brain with what it does",
          "[plugins][catalog]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("parrot", brain, isolation));
  brain.add(bundled_skill("catalog", brain, isolation));
  CHECK(
      answer(brain, "what can you do?") ==
      std::vector<std::string>{"I can use these skills:",
                               "  parrot: repeats what follows 'say', 'echo' or 'repeat after me'",
                               "  catalog: lists the skills and what they do"});
}

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "replay_memory.hpp"

using requip::router::detail::ReplayMemory;

TEST_CASE("replay memory: keeps the most recent examples up to its capacity", "[router][online]") {
  ReplayMemory memory(3, 1);
  CHECK(memory.draw(2).empty());
  for (int i = 0; i < 5; ++i)
    memory.remember("text " + std::to_string(i), i);
  CHECK(memory.size() == 3);
  std::set<int> seen;
  for (int draw = 0; draw < 50; ++draw) {
    const auto drawn = memory.draw(2);
    REQUIRE(drawn.size() == 2);
    for (const auto* entry : drawn) {
      CHECK(entry->text == "text " + std::to_string(entry->expert));
      seen.insert(entry->expert);
    }
  }
  CHECK(seen == std::set<int>{2, 3, 4});
}

TEST_CASE("replay memory: of capacity zero keeps nothing", "[router][online]") {
  ReplayMemory memory(0, 1);
  memory.remember("set an alarm", 1);
  CHECK(memory.size() == 0);
  CHECK(memory.draw(4).empty());
}

#include <catch2/catch.hpp>

#include "requip/core/in_memory_memento.hpp"
#include "requip/core/kokoro.hpp"

using namespace requip;

TEST_CASE("memento: each skill's namespace is its own", "[core][kokoro][memento]") {
  auto memento = std::make_shared<InMemoryMemento>();
  MementoView notes(*memento, "notes");
  MementoView clock(*memento, "clock");
  notes.put("k", "from notes");
  clock.put("k", "from clock");
  clock.put("alarm", "7:00");

  CHECK(notes.get("k") == "from notes");
  CHECK(clock.get("k") == "from clock");
  CHECK(notes.keys() == std::vector<std::string>{"k"});
  CHECK(clock.keys() == std::vector<std::string>{"alarm", "k"});
  CHECK(notes.erase("k"));
  CHECK_FALSE(notes.erase("k"));
  CHECK_FALSE(notes.get("k"));
  CHECK(clock.get("k") == "from clock");
}

TEST_CASE("heart: a message is read by peek and consumed by take", "[core][kokoro][heart]") {
  Heart heart;
  heart.post("weather", "rain");
  CHECK(heart.peek("weather") == "rain");
  CHECK(heart.take("weather") == "rain");
  CHECK_FALSE(heart.take("weather"));
  heart.post("weather", "sun");
  heart.post("weather", "snow");
  CHECK(heart.peek("weather") == "snow");
}

TEST_CASE("kokoro: shares one memento and keeps the last emotion", "[core][kokoro]") {
  auto memento = std::make_shared<InMemoryMemento>();
  Kokoro kokoro(memento);
  kokoro.memento().put("s", "k", "v");
  CHECK(memento->get("s", "k") == "v");
  CHECK(kokoro.emotion().empty());
  kokoro.set_emotion("curious");
  CHECK(kokoro.emotion() == "curious");
}

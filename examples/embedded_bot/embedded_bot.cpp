// A bot with requip inside: the router picks between two plugins loaded from the bundled
// folder, learns from "wrong" and "thanks", and keeps what it learned in a SQLite file.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "requip/core/brain.hpp"
#include "requip/memory/store.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/plugins/plugin_skill.hpp"
#include "requip/router/memory_router_store.hpp"
#include "requip/router/router_skill.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embedded_bot PLUGIN_FOLDER DATABASE\n";
    return 2;
  }
  const std::filesystem::path plugins = argv[1];
  auto store = std::make_shared<requip::memory::Store>(argv[2]);

  requip::Brain brain(store->memento());
  for (const char* name : {"calculator", "parrot"}) {
    const auto plugin = requip::plugins::load_plugin(plugins / (std::string(name) + ".so"));
    brain.add(plugin.create());
  }
  auto model = std::make_shared<requip::router::RouterModel>(
      requip::router::RouterConfig{}, requip::router::make_memory_router_store(store));
  brain.add(std::make_shared<requip::router::RouterSkill>(model));

  const auto print = [](const requip::Reply& reply) {
    for (const auto& text : reply.lines)
      std::cout << text << "\n";
  };
  // "please" equips a skill for the request; "thanks" confirms it, stored for the next run.
  for (const std::string line : {"calculate 2 * 21", "please say hello", "thanks"}) {
    std::cout << "> " << line << "\n";
    print(brain.think(line));
    // An answer of several lines (here the router's "equipped" and the skill's own) comes
    // one step per tick.
    while (brain.busy())
      print(brain.tick());
  }
}

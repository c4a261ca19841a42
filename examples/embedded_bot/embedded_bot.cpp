// A bot with requip inside: one agent (two plugins from the bundled folder and the learned
// router, its learning kept in a SQLite file) and a conversation per person who talks to it.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "requip/core/brain.hpp"
#include "requip/memory/store.hpp"
#include "requip/plugins/loaded_plugin.hpp"
#include "requip/router/router_skill.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embedded_bot PLUGIN_FOLDER DATABASE\n";
    return 2;
  }
  const std::filesystem::path plugins = argv[1];
  auto store = std::make_shared<requip::memory::Store>(argv[2]);

  // What every conversation shares: the skills, the memory store, the router's model.
  auto agent = std::make_shared<requip::Agent>(store->memento());
  for (const char* name : {"calculator", "parrot"}) {
    const auto plugin = requip::plugins::load_plugin(plugins / (std::string(name) + ".so"));
    agent->add(plugin.factory({}));
  }
  auto model = std::make_shared<requip::router::RouterModel>(requip::router::RouterConfig{}, store);
  agent->add(requip::router::router_factory(model));

  // One conversation per person: each has its own skill instances, memory and router state.
  requip::Brain alice(agent, "alice");
  // "please" equips a skill for the request; "thanks" confirms it, stored for the next run.
  for (const std::string line : {"calculate 2 * 21", "please say hello", "thanks"}) {
    std::cout << "> " << line << "\n";
    for (const auto& text : alice.converse(line).lines)
      std::cout << text << "\n";
  }
}

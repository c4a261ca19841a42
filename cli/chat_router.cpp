#include "chat_router.hpp"

#include <fmt/ostream.h>

#include "requip/memory/store.hpp"
#include "requip/router/memory_router_store.hpp"
#include "requip/router/router_skill.hpp"

namespace requip::cli {

void add_router(Brain& brain, Repl& repl, std::shared_ptr<memory::Store> store) {
  router::RouterConfig config;
  // A chat has a few skills with a handful of examples each: a small gate, many passes.
  config.gate.features.buckets = 1 << 16;
  config.gate.dim = 32;
  config.gate.epochs = 60;
  config.gate.batch_size = 4;
  auto model = std::make_shared<router::RouterModel>(
      config, router::make_memory_router_store(std::move(store)));
  auto router = std::make_shared<router::RouterSkill>(model);
  brain.add(router);
  repl.add_command({"/why", "why the last input went where it did",
                    [router](const std::string&, std::ostream& out) {
                      for (const auto& line : router->why())
                        fmt::print(out, "{}\n", line);
                    }});
  repl.add_command({"/forget", "KEY: drop what the router learned for KEY",
                    [router](const std::string& key, std::ostream& out) {
                      if (key.empty()) {
                        fmt::print(out, "! /forget needs a key: /forget what time is it\n");
                      } else if (router->forget(key)) {
                        fmt::print(out, "Forgot \"{}\".\n", key);
                      } else {
                        fmt::print(out, "Nothing was learned for \"{}\".\n", key);
                      }
                    }});
}

}  // namespace requip::cli

#include "chat_router.hpp"

#include <fmt/ostream.h>

#include "requip/memory/store.hpp"
#include "requip/router/memory_router_store.hpp"
#include "requip/router/router_skill.hpp"

namespace requip::cli {

namespace {

// One database per process: the brain's memento and the router share it.
std::shared_ptr<memory::Store> open_store(const std::filesystem::path& db) {
  static std::shared_ptr<memory::Store> store;
  if (!store && !db.empty()) store = std::make_shared<memory::Store>(db);
  return store;
}

}  // namespace

std::shared_ptr<Memento> chat_memento(const std::filesystem::path& db) {
  if (db.empty()) return nullptr;
  return open_store(db)->memento();
}

void add_router(Brain& brain, Repl& repl, const std::filesystem::path& db) {
  auto store = db.empty() ? router::make_in_memory_router_store()
                          : router::make_memory_router_store(open_store(db));
  router::RouterConfig config;
  // A chat has a few skills with a handful of examples each: a small gate, many passes.
  config.gate.features.buckets = 1 << 16;
  config.gate.dim = 32;
  config.gate.epochs = 60;
  config.gate.batch_size = 4;
  auto model = std::make_shared<router::RouterModel>(config, store);
  auto router = std::make_shared<router::RouterSkill>(model);
  brain.add(router);
  repl.add_command("/why", "why the last input went where it did",
                   [router](const std::string&, std::ostream& out) {
                     for (const auto& line : router->why())
                       fmt::print(out, "{}\n", line);
                   });
  repl.add_command("/forget", "KEY: drop what the router learned for KEY",
                   [router](const std::string& key, std::ostream& out) {
                     if (key.empty()) {
                       fmt::print(out, "! /forget needs a key: /forget what time is it\n");
                     } else if (router->forget(key)) {
                       fmt::print(out, "Forgot \"{}\".\n", key);
                     } else {
                       fmt::print(out, "Nothing was learned for \"{}\".\n", key);
                     }
                   });
}

}  // namespace requip::cli

#include "chat_router.hpp"

#include <fmt/ostream.h>

#include <map>

#include "requip/memory/store.hpp"
#include "requip/router/memory_router_store.hpp"
#include "requip/router/router_skill.hpp"

namespace requip::cli {

namespace {

// What /stats reports: how turns were routed, and the load on each skill, the router's
// experts. Counted from the router's explanation after each turn.
class RoutingStats {
 public:
  void record(const router::RoutingExplanation& routed) {
    ++turns_;
    ++by_source_[routed.source];
    if (!routed.skill.empty()) ++load_[routed.skill];
    if (!routed.top.empty()) {
      ++scored_;
      confidence_sum_ += routed.confidence;
    }
  }

  void print(std::ostream& out) const {
    if (turns_ == 0) {
      fmt::print(out, "No input has been routed yet.\n");
      return;
    }
    fmt::print(out, "{} turns routed:", turns_);
    for (const auto& [source, count] : by_source_)
      fmt::print(out, " {} {}", source, count);
    fmt::print(out, "\n");
    if (scored_ > 0) {
      fmt::print(out, "mean gate confidence {:.3f} over {} scored turns\n",
                 confidence_sum_ / static_cast<double>(scored_), scored_);
    }
    fmt::print(out, "expert load:\n");
    for (const auto& [skill, count] : load_) {
      fmt::print(out, "  {:<12} {:>4} ({:.0f}%)\n", skill, count,
                 100.0 * static_cast<double>(count) / static_cast<double>(turns_));
    }
  }

 private:
  std::size_t turns_ = 0;
  std::size_t scored_ = 0;
  double confidence_sum_ = 0;
  std::map<std::string, std::size_t> by_source_;
  std::map<std::string, std::size_t> load_;
};

}  // namespace

std::shared_ptr<router::RouterModel> make_chat_router_model(std::shared_ptr<memory::Store> store) {
  router::RouterConfig config;
  config.gate.features.buckets = 1 << 16;
  config.gate.dim = 32;
  config.gate.epochs = 60;
  config.gate.batch_size = 4;
  return std::make_shared<router::RouterModel>(config,
                                               router::make_memory_router_store(std::move(store)));
}

void add_router(Brain& brain, Repl& repl, std::shared_ptr<memory::Store> store) {
  auto router = std::make_shared<router::RouterSkill>(make_chat_router_model(std::move(store)));
  brain.add(router);
  auto stats = std::make_shared<RoutingStats>();
  repl.after_turn([router, stats](const Reply& reply) {
    // Refused input never reached the router; its explanation is the previous turn's.
    if (reply.error.empty()) stats->record(router->explanation());
  });
  repl.add_command({"/equip", "NAME: the named skill answers every input until told otherwise",
                    [router, &brain](const std::string& name, std::ostream& out) {
                      const auto skill = brain.skill(name);
                      if (name.empty() || !brain.has(name) || skill->kind() == SkillKind::aware) {
                        fmt::print(out, "! no skill named '{}' to equip: /skills lists them\n",
                                   name);
                        return;
                      }
                      router->equip(name);
                      fmt::print(out, "{} equipped.\n", name);
                    }});
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
  repl.add_command({"/stats", "routing and expert-load statistics of this chat",
                    [stats](const std::string&, std::ostream& out) { stats->print(out); }});
}

}  // namespace requip::cli

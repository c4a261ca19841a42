#include "chat_router.hpp"

#include <fmt/ostream.h>

#include <algorithm>
#include <map>

#include "requip/memory/store.hpp"
#include "requip/router/router_skill.hpp"
#include "skill_conflict_warnings.hpp"
#include "word_vectors_file.hpp"

namespace requip::cli {

namespace {

// What /stats reports: how turns were routed, and the load on each skill, the router's
// experts. Counted from the router's explanation after each turn.
class RoutingStats {
 public:
  void record(const Routing& routed) {
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

router::RouterConfig chat_router_config() {
  router::RouterConfig config;
  config.gate.dim = 32;
  config.gate.epochs = 60;
  config.gate.batch_size = 4;
  config.gate.word_vectors = vendored_word_vectors_or_none();
  return config;
}

std::shared_ptr<router::RouterModel> make_chat_router_model(std::shared_ptr<memory::Store> store) {
  return std::make_shared<router::RouterModel>(chat_router_config(), std::move(store));
}

namespace {

// Runs `use` on the REPL conversation's router, in turn with its turns; says so if it cannot.
void with_router(Repl& repl, std::ostream& out,
                 const std::function<void(router::RouterSkill&)>& use) {
  const bool ran = repl.conversations().visit(repl.session(), [&](Brain& brain) {
    if (auto router = std::dynamic_pointer_cast<router::RouterSkill>(brain.skill("router"))) {
      use(*router);
    }
  });
  if (!ran) fmt::print(out, "! the conversation is busy with a turn that did not end\n");
}

}  // namespace

void add_router_commands(Repl& repl) {
  auto stats = std::make_shared<RoutingStats>();
  repl.after_turn([stats](const Reply& reply) {
    if (reply.why) stats->record(*reply.why);
  });
  const auto unequip = [&repl](const std::string&, std::ostream& out) {
    with_router(repl, out, [&](router::RouterSkill& router) {
      const std::string released = router.unequip();
      if (released.empty()) {
        fmt::print(out, "Nothing is equipped.\n");
      } else {
        fmt::print(out, "{} unequipped.\n", released);
      }
    });
  };
  repl.add_command(
      {"/equip",
       "[NAME]: the named skill answers every input until told otherwise; no name unequips",
       [&repl, unequip](const std::string& name, std::ostream& out) {
         if (name.empty()) return unequip(name, out);
         const auto skills = repl.conversations().skills();
         const auto skill = std::find_if(skills.begin(), skills.end(),
                                         [&](const auto& s) { return s.name == name; });
         if (skill == skills.end() || skill->kind == "aware") {
           fmt::print(out, "! no skill named '{}' to equip: /skills lists them\n", name);
           return;
         }
         with_router(repl, out, [&](router::RouterSkill& router) {
           router.equip(name);
           fmt::print(out, "{} equipped.\n", name);
         });
       }});
  repl.add_command({"/unequip", "let go of the equipped skill (\"never mind\" does too)", unequip});
  repl.add_command({"/why", "why the last input went where it did",
                    [&repl](const std::string&, std::ostream& out) {
                      with_router(repl, out, [&](router::RouterSkill& router) {
                        for (const auto& line : router.why())
                          fmt::print(out, "{}\n", line);
                      });
                    }});
  repl.add_command({"/forget", "KEY: drop what the router learned for KEY",
                    [&repl](const std::string& key, std::ostream& out) {
                      if (key.empty()) {
                        fmt::print(out, "! /forget needs a key: /forget what time is it\n");
                        return;
                      }
                      with_router(repl, out, [&](router::RouterSkill& router) {
                        if (router.forget(key)) {
                          fmt::print(out, "Forgot \"{}\".\n", key);
                        } else {
                          fmt::print(out, "Nothing was learned for \"{}\".\n", key);
                        }
                      });
                    }});
  repl.after_skill_list([&repl](std::ostream& out) {
    std::vector<router::SkillProfile> profiles;
    repl.conversations().visit(repl.session(),
                               [&](Brain& brain) { profiles = routed_profiles(brain.skills()); });
    print_skill_conflicts(out, check_chat_skill_conflicts(profiles));
  });
  repl.add_command({"/stats", "routing and expert-load statistics of this chat",
                    [stats](const std::string&, std::ostream& out) { stats->print(out); }});
}

}  // namespace requip::cli

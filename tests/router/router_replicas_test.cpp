#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "requip/core/brain.hpp"
#include "requip/memory/store.hpp"
#include "requip/router/router_skill.hpp"
#include "store_location.hpp"
#include "synthetic_skills.hpp"

using namespace requip;
using namespace requip::router;
using memory::Verdict;

namespace {

RouterConfig replica_config(bool save_after_feedback = true) {
  RouterConfig config;
  config.gate = requip::test::small_gate();
  config.out_of_scope_below = 0.2;
  config.clarify_margin = 0;
  config.save_after_feedback = save_after_feedback;
  return config;
}

std::vector<SkillProfile> synthetic_profiles() {
  std::vector<SkillProfile> profiles;
  for (const auto& [name, examples] : requip::test::synthetic_skills())
    profiles.push_back({name, "1.0.0", "answers " + name, examples});
  return profiles;
}

// One process serving the store: its own connection and its own model.
struct Replica {
  std::shared_ptr<memory::Store> store;
  std::shared_ptr<RouterModel> model;

  Replica(const std::string& db, RouterConfig config = replica_config())
      : store(std::make_shared<memory::Store>(db)),
        model(std::make_shared<RouterModel>(std::move(config), store)) {}

  void judge(const std::string& key, const std::string& skill, Verdict verdict) {
    memory::FeedbackEntry entry;
    entry.session = "alice";
    entry.key = key;
    entry.text = verdict == Verdict::confirm ? "thanks" : "wrong";
    entry.skill = skill;
    entry.verdict = verdict;
    model->feedback(entry);
  }

  // Catches up until it has applied entry `id`, as the next turns would; false after 5 s.
  bool applies(std::int64_t id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      model->catch_up();
      if (model->feedback_applied() >= id) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::int64_t newest_entry() const { return store->feedback().latest(1).at(0).id; }
};

const std::vector<std::string> probes = {"wake me at dawn",  "play the radio", "weather tomorrow",
                                         "headlines please", "turn it up",     "is it cold"};

// The weights, as the probabilities of every skill for each probe: equal bit for bit or not.
std::vector<std::vector<float>> outlook(const RouterModel& model) {
  const auto mask = model.mask_for({"weather", "alarm", "music", "news"});
  std::vector<std::vector<float>> result;
  for (const auto& probe : probes) {
    auto& row = result.emplace_back();
    for (const auto& candidate : model.rank(probe, mask).candidates)
      row.push_back(candidate.probability);
  }
  return result;
}

// Asks what the note should say for "take a note", and takes any answer as the note.
class NoteTaker : public Skill {
 public:
  std::string name() const override { return "notes"; }
  std::vector<std::string> examples() const override {
    return {"take a note", "note this down", "write a note"};
  }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    if (stimulus.ear != "take a note") return std::nullopt;
    ask_follow_up("note");
    return Algorithm::say("What should the note say?");
  }
  std::optional<Algorithm> follow_up(std::string_view, const Stimulus& answer) override {
    return Algorithm::say("Noted: " + answer.ear);
  }
};

// One process on the store, with a conversation of alice's.
struct Process {
  Replica replica;
  std::shared_ptr<Agent> agent;
  Brain alice;
  explicit Process(const std::string& db)
      : replica(db),
        agent(std::make_shared<Agent>(replica.store->memento())),
        alice(agent, "alice") {
    agent->add(router_factory(replica.model));
    for (const auto& [name, examples] : requip::test::synthetic_skills())
      agent->add(skill_factory([name = name] { return requip::test::synthetic_skill(name); }));
    agent->add(skill_factory([] { return std::make_shared<NoteTaker>(); }));
  }
  std::vector<std::string> say(const std::string& text) { return alice.converse(text).lines; }
};

}  // namespace

TEST_CASE(
    "router replicas: each applies every replica's feedback in log order, to the same weights",
    "[router][replicas]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Replica a(where.db());
  REQUIRE(a.model->know(synthetic_profiles()));
  Replica b(where.db());
  // The second replica starts from the first one's saved gate instead of training its own.
  CHECK_FALSE(b.model->know(synthetic_profiles()));

  const auto before = outlook(*a.model);
  a.judge("wake me at dawn", "alarm", Verdict::confirm);
  b.judge("play the radio", "news", Verdict::major_complaint);
  a.judge("turn it up", "music", Verdict::confirm);
  b.judge("headlines please", "news", Verdict::confirm);
  const auto last = b.newest_entry();
  REQUIRE(a.applies(last));
  REQUIRE(b.applies(last));
  CHECK(outlook(*a.model) != before);
  CHECK(outlook(*a.model) == outlook(*b.model));

  // A replica that starts later loads the newest saved gate and replays what came after it.
  Replica c(where.db());
  CHECK_FALSE(c.model->know(synthetic_profiles()));
  CHECK(c.model->feedback_applied() == last);
  CHECK(outlook(*c.model) == outlook(*a.model));
}

TEST_CASE("router replicas: one that starts replays the feedback logged after the saved gate",
          "[router][replicas]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  // Saving only when trained: every later entry must come from the log.
  Replica a(where.db(), replica_config(false));
  REQUIRE(a.model->know(synthetic_profiles()));
  const auto saved = outlook(*a.model);
  a.judge("wake me at dawn", "alarm", Verdict::confirm);
  a.judge("is it cold", "alarm", Verdict::major_complaint);
  Replica b(where.db());
  CHECK_FALSE(b.model->know(synthetic_profiles()));
  CHECK(b.model->feedback_applied() == a.newest_entry());
  CHECK(outlook(*b.model) != saved);
  CHECK(outlook(*b.model) == outlook(*a.model));
}

TEST_CASE("router replicas: a conversation goes on in whichever process serves its next turn",
          "[router][replicas]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Process a(where.db());
  Process b(where.db());

  const auto equipped = a.say("please play the radio");
  REQUIRE(equipped.size() == 2);
  const std::string first = equipped[0].substr(0, equipped[0].find(' '));
  // "wrong" on the other process is about the answer the first one gave.
  const auto requipped = b.say("wrong");
  REQUIRE(requipped.size() == 2);
  const std::string second = requipped[0].substr(0, requipped[0].find(' '));
  CHECK(second != first);
  CHECK(requipped[0] == second + " equipped.");
  CHECK(requipped[1] == second + ": play the radio");
  // And back on the first: the skill equipped on the second answers, the rejection holds.
  CHECK(a.say("next song") == std::vector<std::string>{second + ": next song"});
  const auto router = std::dynamic_pointer_cast<RouterSkill>(a.alice.skill("router"));
  REQUIRE(router);
  CHECK(router->session().rejected("play the radio", first));
}

TEST_CASE("router replicas: a conversation quiet for longer than resume_within starts over",
          "[router][replicas]") {
  const requip::test::StoreLocation where(requip::test::Backend::sqlite);
  Replica replica(where.db());
  auto agent = std::make_shared<Agent>(replica.store->memento());
  RouterSkillOptions options;
  options.resume_within = std::chrono::seconds(0);
  agent->add(router_factory(replica.model, options));
  agent->add(skill_factory([] { return requip::test::synthetic_skill("music"); }));
  {
    Brain alice(agent, "alice");
    CHECK(alice.converse("please play the radio").lines.at(0) == "music equipped.");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Brain alice_again(agent, "alice");
  CHECK_THAT(alice_again.converse("wrong").lines.at(0),
             Catch::Contains("Nothing has answered yet"));
}

TEST_CASE("router replicas: a skill's question asked in one process gets its answer in the other",
          "[router][replicas][follow-up]") {
  const auto backend = GENERATE(from_range(requip::test::store_backends()));
  INFO("backend: " << requip::test::to_string(backend));
  const requip::test::StoreLocation where(backend);
  Process a(where.db());
  Process b(where.db());

  REQUIRE(a.say("take a note") == std::vector<std::string>{"What should the note say?"});
  CHECK(b.say("buy milk") == std::vector<std::string>{"Noted: buy milk"});
  // Answered there, the question no longer waits here.
  CHECK(a.say("buy bread") != std::vector<std::string>{"Noted: buy bread"});

  // Feedback in between leaves the question waiting, wherever the answer then lands.
  REQUIRE(b.say("take a note") == std::vector<std::string>{"What should the note say?"});
  a.say("thanks");
  CHECK(b.say("call mum") == std::vector<std::string>{"Noted: call mum"});
}

#include <catch2/catch.hpp>

#include "requip/core/brain.hpp"
#include "requip/router/router_skill.hpp"
#include "synthetic_skills.hpp"

using namespace requip;
using namespace requip::router;
using requip::test::converse;
using requip::test::synthetic_skill;

namespace {

std::shared_ptr<RouterModel> shared_model(double clarify_margin = 0.0) {
  RouterConfig config;
  config.gate = requip::test::small_gate();
  config.out_of_scope_below = 0.2;
  config.clarify_margin = clarify_margin;
  return std::make_shared<RouterModel>(config);
}

// One conversation: a brain with the four synthetic skills and its own router.
struct Session {
  Brain brain;
  std::shared_ptr<RouterSkill> router;

  explicit Session(std::shared_ptr<RouterModel> model, std::string name = "a") {
    RouterSkillOptions options;
    options.session = name;
    router = std::make_shared<RouterSkill>(model, options);
    brain.add(router);
    for (const char* skill : {"weather", "alarm", "music", "news"})
      brain.add(synthetic_skill(skill));
  }
  std::vector<std::string> say(const std::string& text) { return converse(brain, text); }
};

}  // namespace

TEST_CASE("router: plain input goes to the gate's top skill", "[router][skill]") {
  Session session(shared_model());
  CHECK(session.say("will it rain tomorrow") ==
        std::vector<std::string>{"weather: will it rain tomorrow"});
  CHECK(session.say("play some jazz") == std::vector<std::string>{"music: play some jazz"});
}

TEST_CASE("router: the trigger as prefix or suffix equips a skill for the key", "[router][skill]") {
  Session session(shared_model());
  CHECK(session.say("please set an alarm") ==
        std::vector<std::string>{"alarm equipped.", "alarm: set an alarm"});
  CHECK(session.router->session().equipped_key() == "set an alarm");
  // Equipped: it answers plain input until something else is equipped.
  CHECK(session.say("what's the weather") == std::vector<std::string>{"alarm: what's the weather"});
  CHECK(session.say("play music please") ==
        std::vector<std::string>{"music equipped.", "music: play music"});
}

TEST_CASE("router: 'wrong' re-equips the next-best skill not yet rejected", "[router][skill]") {
  Session session(shared_model());
  session.say("please what's the weather");
  const auto first = session.say("wrong");
  REQUIRE(first.size() == 2);
  const std::string second = first[0].substr(0, first[0].find(' '));
  CHECK(second != "weather");
  CHECK(first[1] == second + ": what's the weather");
  const auto next = session.say("wrong");
  const std::string third = next[0].substr(0, next[0].find(' '));
  CHECK(third != "weather");
  CHECK(third != second);
  CHECK(session.router->session().rejected_for("what's the weather") ==
        std::set<std::string>{"weather", second});
}

TEST_CASE("router: 'wrong' passes over next-best skills that have nothing to say",
          "[router][skill]") {
  // Alarm and music know their examples but answer nothing; news answers everything.
  class Mute final : public Skill {
   public:
    explicit Mute(std::string name) : name_(std::move(name)) {
      for (const auto& [skill, examples] : requip::test::synthetic_skills())
        if (skill == name_) examples_ = examples;
    }
    std::string name() const override { return name_; }
    std::vector<std::string> examples() const override { return examples_; }
    std::optional<Algorithm> input(const Stimulus&) override { return std::nullopt; }

   private:
    std::string name_;
    std::vector<std::string> examples_;
  };
  Brain brain;
  auto router = std::make_shared<RouterSkill>(shared_model());
  brain.add(router);
  brain.add(synthetic_skill("weather"));
  brain.add(std::make_shared<Mute>("alarm"));
  brain.add(std::make_shared<Mute>("music"));
  brain.add(synthetic_skill("news"));

  converse(brain, "please what's the weather");
  CHECK(converse(brain, "wrong") ==
        std::vector<std::string>{"news equipped.", "news: what's the weather"});
  CHECK(router->explanation().routing.skill == "news");
  const auto& declined = router->explanation().routing.declined;
  CHECK_FALSE(declined.empty());
  for (const auto& skill : declined)
    CHECK((skill == "alarm" || skill == "music"));
  CHECK(router->session().equipped() == "news");
  // Passing over is not rejecting: only the skill the user called wrong is.
  CHECK(router->session().rejected_for("what's the weather") == std::set<std::string>{"weather"});
  // When none of the rest has anything to say, the best of them is equipped all the same.
  CHECK(converse(brain, "wrong").size() == 1);
  CHECK(router->session().rejected_for("what's the weather") ==
        std::set<std::string>{"weather", "news"});
}

TEST_CASE("router: three 'lame' re-equip, fewer only count", "[router][skill]") {
  Session session(shared_model());
  session.say("please play some jazz");
  CHECK(session.say("lame") == std::vector<std::string>{"Noted (1/3)."});
  CHECK(session.say("lame") == std::vector<std::string>{"Noted (2/3)."});
  const auto third = session.say("lame");
  REQUIRE(!third.empty());
  CHECK_THAT(third[0], Catch::EndsWith("equipped.") && !Catch::StartsWith("music"));
  CHECK(session.router->session().rejected("play some jazz", "music"));
}

TEST_CASE("router: 'thanks' stores and strengthens the mapping", "[router][skill]") {
  auto model = shared_model();
  Session session(model);
  session.say("read me the headlines");
  CHECK(session.say("thanks") ==
        std::vector<std::string>{"Thanks! news it is for \"read me the headlines\"."});
  session.say("read me the headlines");
  session.say("good");
  const auto mapping = model->mapping("read me the headlines");
  REQUIRE(mapping);
  CHECK(mapping->skill == "news");
  CHECK(mapping->confirmations == 2);
  CHECK(model->feedback_for("read me the headlines").size() == 2);
}

TEST_CASE("router: feedback in session A does not touch session B, the learning is shared",
          "[router][skill]") {
  auto model = shared_model();
  Session a(model, "a"), b(model, "b");
  a.say("please play the radio");
  a.say("wrong");
  CHECK(b.say("wrong") ==
        std::vector<std::string>{"Nothing has answered yet in this conversation to give "
                                 "feedback on."});
  CHECK(b.router->session().rejected_for("play the radio").empty());
  CHECK(b.router->session().equipped().empty());

  a.say("set an alarm for eight");
  a.say("thanks");
  b.say("set an alarm for eight");
  const auto mapping = model->mapping("set an alarm for eight");
  REQUIRE(mapping);
  CHECK(b.router->why()[0] ==
        "\"set an alarm for eight\" went to " + mapping->skill + " by mapping.");
  CHECK(model->feedback_for("set an alarm for eight").front().session == "a");
}

TEST_CASE("router: an unloaded skill's mapping is masked and comes back with the skill",
          "[router][skill]") {
  auto model = shared_model();
  Session session(model);
  REQUIRE(session.say("forecast for today") ==
          std::vector<std::string>{"weather: forecast for today"});
  session.say("thanks");
  session.brain.remove("weather");
  const auto without = session.say("forecast for today");
  CHECK(std::none_of(without.begin(), without.end(),
                     [](const std::string& line) { return line.rfind("weather", 0) == 0; }));
  session.brain.add(synthetic_skill("weather"));
  CHECK(session.say("forecast for today") ==
        std::vector<std::string>{"weather: forecast for today"});
  CHECK(session.router->why()[0] == "\"forecast for today\" went to weather by mapping.");
}

TEST_CASE("router: out-of-scope input gets the fallback, not a random skill", "[router][skill]") {
  Session session(shared_model());
  const auto lines = session.say("qqqq zzzz xxxx");
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("I can't help with that."));
  CHECK(session.say("wrong") ==
        std::vector<std::string>{"Nothing has answered yet in this conversation to give "
                                 "feedback on."});
}

TEST_CASE("router: a close call asks which was meant and learns the answer", "[router][skill]") {
  auto model = shared_model(1.0);  // every decision is close enough to ask
  Session session(model);
  const auto question = session.say("turn the music up");
  REQUIRE(question.size() == 1);
  CHECK_THAT(question[0], Catch::StartsWith("Did you mean music or "));
  const std::string other = question[0].substr(question[0].rfind(' ') + 1,
                                               question[0].size() - question[0].rfind(' ') - 2);
  CHECK(session.say(other) == std::vector<std::string>{other + ": turn the music up"});
  const auto mapping = model->mapping("turn the music up");
  REQUIRE(mapping);
  CHECK(mapping->skill == other);
}

TEST_CASE("router: /why explains and forget drops the mapping", "[router][skill]") {
  auto model = shared_model();
  Session session(model);
  session.say("latest news today");
  const auto why = session.router->why();
  CHECK(why[0] == "\"latest news today\" went to news by gate.");
  CHECK_THAT(why[1], Catch::StartsWith("gate scores: news "));
  session.say("thanks");
  CHECK(session.router->forget("Latest news today!"));
  CHECK_FALSE(model->mapping("latest news today"));
}

TEST_CASE("router: one router can equip another (requip the requipper)", "[router][skill]") {
  auto model = shared_model();
  auto inner_model = shared_model();
  Brain brain;
  // The top router hands media requests to the media router, which chooses music or news.
  RouterSkillOptions top;
  top.scope = {"weather", "alarm", "media"};
  brain.add(std::make_shared<RouterSkill>(model, top));
  brain.add(std::make_shared<RouterSkill>(inner_model,
                                          RouterSkillOptions{"media",
                                                             "a",
                                                             "routes to music and news",
                                                             {"music", "news"},
                                                             {"play some jazz", "read the news"}}));
  for (const char* skill : {"weather", "alarm", "music", "news"})
    brain.add(synthetic_skill(skill));
  CHECK(converse(brain, "please play some jazz") ==
        std::vector<std::string>{"media equipped.", "music equipped.", "music: play some jazz"});
}

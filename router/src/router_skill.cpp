#include "requip/router/router_skill.hpp"

#include <fmt/format.h>

#include "requip/core/brain.hpp"
#include "requip/core/turn.hpp"
#include "requip/router/featurizer.hpp"

namespace requip::router {

namespace {

// Runs a skill on a text of the router's choosing (the key, or an earlier input) and queues
// its answer as the router's. A skill with nothing to say leaves only the router's line.
void answer_as(Turn& turn, const std::string& skill, const std::string& text) {
  auto target = turn.brain().skill(skill);
  if (auto algorithm = target->input(Stimulus{text, {}, {}})) turn.answer(std::move(*algorithm));
}

}  // namespace

RouterSkill::RouterSkill(std::shared_ptr<RouterModel> model, RouterSkillOptions options)
    : model_(std::move(model)),
      options_(std::move(options)),
      classifier_(model_->config().words),
      stored_(options_.resume_within) {}

void RouterSkill::perceive(Turn& turn) {
  // An earlier router in the same brain already decided this turn.
  if (!turn.routed_to().empty()) return;
  route(turn);
}

void RouterSkill::on_attach() {
  if (options_.session.empty()) options_.session = kokoro().user();
}

void RouterSkill::refresh(Turn& turn) {
  std::vector<std::string> names;
  std::vector<SkillProfile> profiles;
  for (const auto& skill : turn.brain().skills()) {
    const std::string& name = skill->name;
    if (name == options_.name) continue;
    const bool in_scope =
        options_.scope.empty() ||
        std::find(options_.scope.begin(), options_.scope.end(), name) != options_.scope.end();
    // Aware skills take no routed input, except routers, which take over the turn.
    const bool routable =
        skill->kind != SkillKind::aware ||
        std::dynamic_pointer_cast<RouterSkill>(turn.brain().skill(name)) != nullptr;
    if (!in_scope || !routable) continue;
    names.push_back(name);
    profiles.push_back({name, skill->version, skill->description, skill->examples});
  }
  if (names == loaded_ && mask_.size() > 0) return;
  model_->know(profiles);
  loaded_ = std::move(names);
  mask_ = model_->mask_for(loaded_);
}

void RouterSkill::route(Turn& turn) {
  const std::string& text = turn.stimulus().ear;
  if (text.empty()) return;  // sensor and camera input goes to every skill
  refresh(turn);
  model_->catch_up();
  resume(turn);
  turn.when_settled([this](const std::optional<FollowUp>& waiting) {
    stored_.keep(memory(), session_, waiting);
  });
  const Message message = classifier_.classify(text);
  const FollowUp* question = turn.follow_up();
  const std::string asked = question && message.kind == MessageKind::plain ? question->skill : "";
  if (!answered_follow_up(turn, message)) decide(turn, message);
  last_.routing.follow_up = asked;
  turn.explain(last_.routing);
}

void RouterSkill::resume(Turn& turn) {
  std::optional<FollowUp> question;
  if (!stored_.resume(memory(), session_, question)) return;
  const auto timeout = turn.brain().options().follow_up_timeout;
  if (question && question->expired(FollowUp::Clock::now(), timeout)) question.reset();
  turn.resume_follow_up(std::move(question));
}

void RouterSkill::keep() {
  stored_.keep(memory(), session_, kokoro().follow_up());
}

void RouterSkill::equip(const std::string& skill) {
  session_.equip(skill, {});
  keep();
}

// A skill's question gets the input first, unless the input is the router's: feedback leaves
// the question waiting, "never mind" and a request drop it.
bool RouterSkill::answered_follow_up(Turn& turn, const Message& message) {
  const FollowUp* question = turn.follow_up();
  if (!question) return false;
  switch (message.kind) {
    case MessageKind::feedback:
      turn.keep_follow_up();
      return false;
    case MessageKind::release:
    case MessageKind::request:
      turn.cancel_follow_up();
      return false;
    case MessageKind::plain:
      break;
  }
  const std::string asker = question->skill;
  if (!turn.offer_follow_up()) return false;
  // Feedback after the answer stays with the routing that led to the question: an answer
  // ("buy milk") is not an example of what the asking skill is for.
  explain("follow-up", turn.stimulus().ear, message.key, asker, nullptr);
  return true;
}

void RouterSkill::decide(Turn& turn, const Message& message) {
  const std::string& text = turn.stimulus().ear;
  if (session_.asking() && resolve(turn, message)) return;
  switch (message.kind) {
    case MessageKind::feedback:
      feedback(turn, message);
      return;
    case MessageKind::request:
      request(turn, message.key);
      return;
    case MessageKind::plain:
      plain(turn, text, message.key);
      return;
    case MessageKind::release: {
      last_.routing = {text, message.key, "release", {}, {}, 0, {}, 0, {}, {}};
      const std::string released = unequip();
      turn.answer(Algorithm::say(
          released.empty()
              ? std::string("OK. Nothing is equipped: I choose a skill for each input.")
              : fmt::format("{} unequipped: I choose a skill for each input again.", released)));
      return;
    }
  }
}

std::string RouterSkill::unequip() {
  std::string released = session_.equipped();
  session_.unequip();
  kokoro().cancel_follow_up();
  keep();
  return released;
}

std::optional<std::string> RouterSkill::mapped_skill(const std::string& key) {
  auto mapping = model_->mapping(key);
  if (!mapping || mapping->skill.empty() || session_.rejected(key, mapping->skill) ||
      std::find(loaded_.begin(), loaded_.end(), mapping->skill) == loaded_.end()) {
    return std::nullopt;  // an unloaded skill's mapping waits until it is loaded again
  }
  return mapping->skill;
}

// The equipped skill gets the first chance, else the mapped one, else the gate's first
// choice; whichever declines passes the input on down the gate's ranking, and the fallback
// answers only when none takes it.
void RouterSkill::plain(Turn& turn, const std::string& text, const std::string& key) {
  const Ranking ranking = model_->rank(text, mask_, session_.rejected_for(key));
  const auto& candidates = ranking.candidates;
  const bool in_scope =
      !candidates.empty() && ranking.confidence >= model_->config().out_of_scope_below;
  // Down the gate's ranking after the skill asked first, if the input is in scope at all.
  const auto then_ranked = [&](std::vector<std::string> order) {
    if (!in_scope) return order;
    for (const auto& candidate : candidates)
      if (std::find(order.begin(), order.end(), candidate.skill) == order.end())
        order.push_back(candidate.skill);
    return order;
  };
  const std::string& equipped = session_.equipped();
  if (!equipped.empty() && !model_->config().auto_mode &&
      std::find(loaded_.begin(), loaded_.end(), equipped) != loaded_.end()) {
    explain("equipped", text, key, equipped, nullptr);
    return offer(turn, then_ranked({equipped}), key, text);
  }
  if (auto skill = mapped_skill(key)) {
    explain("mapping", text, key, *skill, nullptr);
    return offer(turn, then_ranked({*skill}), key, text);
  }
  if (!in_scope) {
    explain("fallback", text, key, {}, &ranking);
    fallback(turn);
    return;
  }
  if (candidates.size() >= 2 &&
      candidates[0].probability - candidates[1].probability < model_->config().clarify_margin) {
    explain("clarify", text, key, {}, &ranking);
    session_.forget_previous();
    session_.ask({key, text, {candidates[0].skill, candidates[1].skill}});
    turn.answer(Algorithm::say(
        fmt::format("Did you mean {} or {}?", candidates[0].skill, candidates[1].skill)));
    return;
  }
  explain("gate", text, key, candidates[0].skill, &ranking);
  offer(turn, then_ranked({}), key, text);
}

void RouterSkill::offer(Turn& turn, std::vector<std::string> order, const std::string& key,
                        const std::string& text) {
  auto router = std::dynamic_pointer_cast<RouterSkill>(turn.brain().skill(order.front()));
  if (router) {
    session_.answered({order.front(), key, text});
    return router->route(turn);  // a router chosen like a skill takes the turn over
  }
  turn.route_to(std::move(order));
  turn.otherwise(fallback_answer());
  turn.when_routed(
      [this, key, text](const std::string& answered, const std::vector<std::string>& declined) {
        last_.routing.skill = answered;
        last_.routing.declined = declined;
        if (answered.empty()) {
          last_.routing.source = "fallback";
          session_.forget_previous();
        } else {
          session_.answered({answered, key, text});
        }
      });
}

void RouterSkill::request(Turn& turn, const std::string& key) {
  std::string skill;
  if (auto mapped = mapped_skill(key)) {
    skill = *mapped;
    explain("mapping", key, key, skill, nullptr);
  } else {
    const Ranking ranking = model_->rank(key, mask_, session_.rejected_for(key));
    if (ranking.candidates.empty()) {
      explain("fallback", key, key, {}, &ranking);
      fallback(turn);
      return;
    }
    skill = ranking.candidates.front().skill;
    explain("gate", key, key, skill, &ranking);
  }
  session_.equip(skill, key);
  turn.answer(Algorithm::say(fmt::format("{} equipped.", skill)));
  send(turn, skill, key, key);
}

void RouterSkill::feedback(Turn& turn, const Message& message) {
  const auto previous = session_.previous();
  if (!previous) {
    // A thank-you with nothing to thank for is small talk, for whichever skill takes it.
    if (message.verdict == memory::Verdict::confirm)
      return plain(turn, turn.stimulus().ear, message.key);
    turn.answer(
        Algorithm::say("Nothing has answered yet in this conversation to give feedback on."));
    return;
  }
  last_.routing.source = "feedback";
  const int tolerance = model_->config().words.minor_tolerance;
  switch (message.verdict) {
    case memory::Verdict::confirm:
      model_->feedback(judgement(previous->key, message, previous->skill));
      reread_stored(previous->key);
      turn.answer(Algorithm::say(
          fmt::format("Thanks! {} it is for \"{}\".", previous->skill, previous->key)));
      return;
    case memory::Verdict::minor_complaint:
      if (!session_.complain(tolerance)) {
        turn.answer(
            Algorithm::say(fmt::format("Noted ({}/{}).", session_.complaints(), tolerance)));
        return;
      }
      requip(turn, *previous, message);
      return;
    case memory::Verdict::major_complaint:
      requip(turn, *previous, message);
      return;
  }
}

memory::FeedbackEntry RouterSkill::judgement(const std::string& key, const Message& message,
                                             const std::string& skill) const {
  memory::FeedbackEntry entry;
  entry.session = options_.session;
  entry.key = key;
  entry.text = message.key;
  entry.skill = skill;
  entry.verdict = message.verdict;
  return entry;
}

void RouterSkill::requip(Turn& turn, const PreviousAnswer& previous, const Message& complaint) {
  model_->feedback(judgement(previous.key, complaint, previous.skill));
  session_.reject(previous.key, previous.skill);
  turn.cancel_follow_up();  // the question came from the skill just rejected
  const Ranking ranking = model_->rank(previous.text, mask_, session_.rejected_for(previous.key));
  if (ranking.candidates.empty()) {
    session_.unequip();
    fallback(turn);
    return;
  }
  // The best candidate with something to say for the text takes over; those above it that
  // decline are passed over (not rejected), as routing passes over a declining first choice.
  // When none has, the best one is equipped all the same, so that "thanks" can still teach it.
  std::vector<std::string> declined;
  std::optional<Algorithm> answer;
  std::shared_ptr<RouterSkill> router;
  for (const auto& candidate : ranking.candidates) {
    const auto skill = turn.brain().skill(candidate.skill);
    router = std::dynamic_pointer_cast<RouterSkill>(skill);
    if (router) break;  // a router chosen like a skill takes the turn over
    answer = skill->input(Stimulus{previous.text, {}, {}});
    if (answer) break;
    declined.push_back(candidate.skill);
  }
  if (!answer && !router) declined.clear();
  const std::string next = ranking.candidates[declined.size()].skill;
  explain("gate", previous.text, previous.key, next, &ranking);
  last_.routing.declined = std::move(declined);
  if (!session_.equipped().empty()) session_.equip(next, previous.key);
  turn.answer(Algorithm::say(fmt::format("{} equipped.", next)));
  session_.answered({next, previous.key, previous.text});
  if (router) return router->route(turn);
  if (answer) turn.answer(std::move(*answer));
}

bool RouterSkill::resolve(Turn& turn, const Message& message) {
  const auto question = session_.take_question();
  const auto& options = question->options;
  std::string choice;
  if (message.key == "1" || message.key == "first" || message.key == "the first") {
    choice = options[0];
  } else if (message.key == "2" || message.key == "second" || message.key == "the second") {
    choice = options[1];
  } else {
    for (const auto& option : options) {
      if (message.key == normalize(option)) choice = option;
    }
  }
  if (choice.empty()) return false;  // not an answer: a new input
  // The answer is a confirmation: the gate learns the question's text for this skill.
  model_->feedback(judgement(question->key, message, choice));
  explain("clarify", question->text, question->key, choice, nullptr);
  send(turn, choice, question->key, question->text);
  return true;
}

void RouterSkill::send(Turn& turn, const std::string& skill, const std::string& key,
                       const std::string& text) {
  session_.answered({skill, key, text});
  auto target = std::dynamic_pointer_cast<RouterSkill>(turn.brain().skill(skill));
  if (target) {
    target->route(turn);  // a router chosen like a skill takes the turn over
  } else {
    answer_as(turn, skill, text);
  }
}

// One line: what cannot be done, and where the list is. The list itself would be a
// paragraph the user did not ask for.
void RouterSkill::fallback(Turn& turn) {
  session_.forget_previous();
  turn.answer(fallback_answer());
}

Algorithm RouterSkill::fallback_answer() const {
  return Algorithm::say(
      loaded_.empty()
          ? "I have no skills loaded yet."
          : "I can't help with that. Ask \"what can you do\" (or type /skills) for what I can.");
}

SkillFactory router_factory(std::shared_ptr<RouterModel> model, RouterSkillOptions options) {
  return skill_factory([model = std::move(model), options = std::move(options)] {
    return std::make_shared<RouterSkill>(model, options);
  });
}

bool RouterSkill::forget(std::string_view text) {
  const std::string key = normalize(text);
  session_.forget_key(key);
  keep();
  return model_->forget(key);
}

}  // namespace requip::router

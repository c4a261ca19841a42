#include "requip/core/brain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "requip/core/detail/library_log.hpp"
#include "requip/core/input_check.hpp"
#include "requip/core/null_skill.hpp"
#include "requip/core/turn.hpp"
#include "requip/core/unavailable.hpp"

namespace requip {

namespace {

// Skills are code we did not write: one that throws must not take the conversation down.
template <typename Call>
bool contained(const std::string& skill, const char* hook, Reply* reply, Call&& call) {
  std::string failure;
  try {
    call();
    return true;
  } catch (const Unavailable& error) {
    requip::detail::library_log().warn("skill '{}' in {}: {}", skill, hook, error.reason());
    if (reply) reply->unavailable = error.reason();
    return false;
  } catch (const std::exception& error) {
    failure = error.what();
  } catch (...) {
    failure = "unknown exception";
  }
  const std::string notice = fmt::format("skill '{}' failed in {}: {}", skill, hook, failure);
  requip::detail::library_log().warn("{}", notice);
  if (reply) reply->notices.push_back(notice);
  return false;
}

}  // namespace

template <typename Call>
bool Brain::call(const std::string& skill, const char* hook, Reply* reply, Call&& body) {
  std::string outer;  // a router hands a turn to a skill from inside its own call
  {
    std::lock_guard lock(running_mutex_);
    outer = std::exchange(running_, skill);
  }
  const bool succeeded = contained(skill, hook, reply, std::forward<Call>(body));
  std::lock_guard lock(running_mutex_);
  running_ = std::move(outer);
  return succeeded;
}

std::string Brain::running() const {
  std::lock_guard lock(running_mutex_);
  return running_;
}

Brain::Brain(std::shared_ptr<Agent> agent, std::string user)
    : agent_(std::move(agent)),
      kokoro_(agent_->shared_memento(), std::move(user)),
      dispatcher_(agent_->options().queue_capacity),
      followed_(std::make_shared<const SkillCatalog>()) {}

Brain::Brain(std::shared_ptr<Memento> memento, BrainOptions options)
    : Brain(std::make_shared<Agent>(std::move(memento), options), std::string(local_user)) {}

Brain::~Brain() {
  for (auto& slot : slots_)
    retire(slot);
}

void Brain::add(std::shared_ptr<Skill> skill) {
  if (!skill) return;
  if (in_turn_) {
    deferred_.push_back({std::move(skill), {}});
  } else {
    apply({std::move(skill), {}});
  }
}

void Brain::remove(std::string_view name) {
  if (in_turn_) {
    deferred_.push_back({nullptr, std::string(name)});
  } else {
    apply({nullptr, std::string(name)});
  }
}

void Brain::apply(Change change) {
  const std::string name = change.added ? change.added->name() : change.removed;
  std::erase_if(own_, [&](const auto& factory) { return factory->name == name; });
  if (change.added) {
    own_.push_back(std::make_shared<const SkillFactory>(
        skill_factory([skill = std::move(change.added)] { return skill; })));
  }
  own_changed_ = true;
  if (!in_turn_) {
    Reply ignored;
    follow_catalog(ignored);
  }
}

std::vector<std::shared_ptr<const SkillFactory>> Brain::skills() const {
  const auto catalog = agent_->catalog();
  std::vector<std::shared_ptr<const SkillFactory>> all;
  for (const auto& factory : catalog->skills) {
    const bool shadowed = std::any_of(own_.begin(), own_.end(),
                                      [&](const auto& own) { return own->name == factory->name; });
    if (!shadowed) all.push_back(factory);
  }
  all.insert(all.end(), own_.begin(), own_.end());
  return all;
}

bool Brain::has(std::string_view name) const {
  return std::any_of(own_.begin(), own_.end(),
                     [&](const auto& own) { return own->name == name; }) ||
         agent_->catalog()->find(name) != nullptr;
}

void Brain::follow_catalog(Reply& reply) {
  auto catalog = agent_->catalog();
  if (catalog == followed_ && !own_changed_) return;
  std::vector<Slot> next;
  for (auto& factory : skills()) {
    Slot slot{factory, nullptr};
    auto old = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& candidate) {
      return candidate.factory && candidate.factory->name == factory->name;
    });
    const bool own = std::find(own_.begin(), own_.end(), factory) != own_.end();
    if (old != slots_.end() && old->factory == factory) {
      slot = std::move(*old);
    } else if (old != slots_.end() && old->instance) {
      // A new version: this conversation's instance hands its state to the new one.
      std::shared_ptr<Skill> made;
      call(factory->name, "create", &reply, [&] { made = factory->create(); });
      if (made) {
        const std::string state = old->instance->save_state();
        call(factory->name, "restore_state", &reply, [&] { made->restore_state(state); });
        retire(*old);
        made->attach(kokoro_);
        slot.instance = std::move(made);
      } else {
        slot = std::move(*old);  // the old instance keeps serving this conversation
      }
      old->factory = nullptr;
    }
    if (own) instance(slot, &reply);  // added here as an instance: attached at once
    next.push_back(std::move(slot));
  }
  for (auto& gone : slots_) {
    if (gone.factory) retire(gone);
  }
  slots_ = std::move(next);
  followed_ = std::move(catalog);
  own_changed_ = false;
}

Skill* Brain::instance(Slot& slot, Reply* reply) {
  if (slot.instance) return slot.instance.get();
  std::shared_ptr<Skill> made;
  call(slot.factory->name, "create", reply, [&] {
    made = slot.factory->create();
    if (!made) throw std::runtime_error("the factory made no instance");
    made->attach(kokoro_);
  });
  slot.instance = std::move(made);
  return slot.instance.get();
}

void Brain::retire(Slot& slot) {
  if (!slot.instance) return;
  call(slot.factory ? slot.factory->name : slot.instance->name(), "detach", nullptr,
       [&] { slot.instance->detach(); });
  slot.instance.reset();
}

std::shared_ptr<Skill> Brain::skill(std::string_view name) {
  if (!in_turn_) {
    Reply ignored;
    follow_catalog(ignored);
  }
  for (auto& slot : slots_) {
    if (slot.factory->name != name) continue;
    instance(slot, nullptr);
    if (slot.instance) return slot.instance;
  }
  return make_null_skill();
}

Reply Brain::converse(std::string_view text, const Sink& on_line) {
  if (auto problem = check_input(text, agent_->options().max_input_bytes)) {
    Reply reply;
    reply.error = std::move(*problem);
    reply.emotion = kokoro_.emotion();
    return reply;
  }
  return converse(Stimulus{std::string(text), {}, {}}, on_line);
}

Reply Brain::converse(const Stimulus& stimulus, const Sink& on_line) {
  Reply reply;
  follow_catalog(reply);
  in_turn_ = true;
  offer(stimulus, reply);
  run_steps(reply, on_line);
  end_turn(reply);
  return reply;
}

Reply Brain::tick(const Sink& on_line) {
  Reply reply;
  follow_catalog(reply);
  in_turn_ = true;
  // Only instances this conversation made can have something due.
  for (auto& slot : slots_) {
    if (slot.factory->kind != SkillKind::continuous || !slot.instance) continue;
    std::optional<Algorithm> algorithm;
    call(slot.factory->name, "tick", &reply, [&] { algorithm = slot.instance->tick(); });
    submit(std::move(algorithm), slot.factory->name, reply);
  }
  run_steps(reply, on_line);
  end_turn(reply);
  return reply;
}

void Brain::offer(const Stimulus& stimulus, Reply& reply) {
  std::optional<FollowUp> waiting = kokoro_.take_follow_up();
  if (waiting && waiting->expired(FollowUp::Clock::now(), options().follow_up_timeout)) {
    waiting.reset();
  }
  Turn turn(stimulus, *this, std::move(waiting),
            [&](const FollowUp& question) { return answer_follow_up(question, stimulus, reply); });
  std::vector<std::string> settled_by;  // who registered each of turn.when_settled()
  offer(turn, reply, settled_by);
  // A question this input did not settle (feedback, sensor input) waits for the next one,
  // unless a skill asked another meanwhile.
  if (!kokoro_.follow_up()) {
    if (auto unsettled = turn.unsettled_follow_up()) kokoro_.ask(std::move(*unsettled));
  }
  for (std::size_t i = 0; i < settled_by.size(); ++i) {
    call(settled_by[i], "perceive", &reply, [&] { turn.when_settled()[i](kokoro_.follow_up()); });
  }
}

void Brain::offer(Turn& turn, Reply& reply, std::vector<std::string>& settled_by) {
  const Stimulus& stimulus = turn.stimulus();
  std::string router;  // the aware skill that routed the turn
  for (std::size_t i = 0; i < slots_.size() && !turn.consumed(); ++i) {
    if (slots_[i].factory->kind != SkillKind::aware) continue;
    Skill* aware = instance(slots_[i], &reply);
    if (!aware) continue;
    const std::string& name = slots_[i].factory->name;
    const std::size_t answers_before = turn.answers().size();
    call(name, "perceive", &reply, [&] { aware->perceive(turn); });
    settled_by.resize(turn.when_settled().size(), name);
    for (std::size_t a = answers_before; a < turn.answers().size(); ++a) {
      submit(std::move(turn.answers()[a]), name, reply);
    }
    if (router.empty() && !turn.routed_to().empty()) router = name;
  }
  reply.why = std::move(turn.why());
  if (turn.consumed()) return;
  // No router offered the input to the skill that asked for it: it comes first all the same.
  if (!stimulus.ear.empty() && turn.offer_follow_up()) return;
  if (!turn.routed_to().empty()) return offer_in_order(stimulus, turn, router, reply);

  for (auto& slot : slots_) {
    if (slot.factory->kind == SkillKind::aware) continue;
    Skill* skill = instance(slot, &reply);
    if (!skill) continue;
    std::optional<Algorithm> algorithm;
    call(slot.factory->name, "input", &reply, [&] { algorithm = skill->input(stimulus); });
    submit(std::move(algorithm), slot.factory->name, reply);
  }
}

void Brain::offer_in_order(const Stimulus& stimulus, Turn& turn, const std::string& router,
                           Reply& reply) {
  std::vector<std::string> declined;
  std::string answered;
  for (const auto& name : turn.routed_to()) {
    auto slot = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& candidate) {
      return candidate.factory->name == name;
    });
    if (slot == slots_.end()) {
      reply.notices.push_back(fmt::format("input was routed to '{}', which is not loaded", name));
      continue;
    }
    if (slot->factory->kind == SkillKind::aware) continue;  // a router routes, it does not answer
    Skill* skill = instance(*slot, &reply);
    std::optional<Algorithm> algorithm;
    if (skill) call(name, "input", &reply, [&] { algorithm = skill->input(stimulus); });
    if (!algorithm) {
      declined.push_back(name);
      continue;
    }
    submit(std::move(algorithm), name, reply);
    answered = name;
    break;
  }
  if (reply.why) {
    reply.why->skill = answered;
    reply.why->declined = declined;
  }
  if (turn.when_routed())
    call(router, "perceive", &reply, [&] { turn.when_routed()(answered, declined); });
  if (answered.empty() && turn.otherwise()) submit(std::move(turn.otherwise()), router, reply);
}

bool Brain::answer_follow_up(const FollowUp& question, const Stimulus& stimulus, Reply& reply) {
  auto slot = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& candidate) {
    return candidate.factory->name == question.skill;
  });
  if (slot == slots_.end()) return false;  // unloaded since it asked
  Skill* skill = instance(*slot, &reply);
  std::optional<Algorithm> algorithm;
  if (skill) {
    call(question.skill, "follow_up", &reply,
         [&] { algorithm = skill->follow_up(question.topic, stimulus); });
  }
  if (!algorithm) return false;
  submit(std::move(algorithm), question.skill, reply);
  return true;
}

void Brain::submit(std::optional<Algorithm> algorithm, const std::string& origin, Reply& reply) {
  if (!algorithm) return;
  algorithm->set_origin(origin);
  if (auto refusal = dispatcher_.submit(std::move(*algorithm))) {
    requip::detail::library_log().warn("{}", *refusal);
    reply.notices.push_back(std::move(*refusal));
  }
}

void Brain::run_steps(Reply& reply, const Sink& on_line) {
  while (!dispatcher_.idle()) {
    {
      std::lock_guard lock(running_mutex_);
      running_ = dispatcher_.next_origin();
    }
    auto step = dispatcher_.tick();
    {
      std::lock_guard lock(running_mutex_);
      running_.clear();
    }
    reply.skill = step->origin;
    if (step->unavailable) {
      reply.unavailable = step->failure;
      requip::detail::library_log().warn("skill '{}' in a step: {}", step->origin, step->failure);
    } else if (!step->failure.empty()) {
      reply.notices.push_back(
          fmt::format("skill '{}' failed in a step: {}", step->origin, step->failure));
      requip::detail::library_log().warn("{}", reply.notices.back());
    }
    if (!step->line) continue;
    if (on_line) on_line(Output{*step->line, step->origin});
    reply.lines.push_back(std::move(*step->line));
  }
}

void Brain::end_turn(Reply& reply) {
  in_turn_ = false;
  auto changes = std::move(deferred_);
  deferred_.clear();
  for (auto& change : changes)
    apply(std::move(change));
  follow_catalog(reply);
  for (auto& notice : kokoro_.take_notices())
    reply.notices.push_back(std::move(notice));
  reply.emotion = kokoro_.emotion();
}

}  // namespace requip

#include "requip/core/brain.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "requip/core/in_memory_memento.hpp"
#include "requip/core/input_check.hpp"
#include "requip/core/null_skill.hpp"
#include "requip/core/turn.hpp"

namespace requip {

namespace {

// Skills are code we did not write: one that throws must not take the brain down.
template <typename Call>
void contained(const std::string& skill, const char* hook, Reply& reply, Call&& call) {
  std::string failure;
  try {
    call();
    return;
  } catch (const std::exception& error) {
    failure = error.what();
  } catch (...) {
    failure = "unknown exception";
  }
  reply.notices.push_back(fmt::format("skill '{}' failed in {}: {}", skill, hook, failure));
  spdlog::warn("{}", reply.notices.back());
}

}  // namespace

Brain::Brain(std::shared_ptr<Memento> memento, BrainOptions options)
    : options_(options),
      kokoro_(memento ? std::move(memento) : std::make_shared<InMemoryMemento>()),
      dispatcher_(options.queue_capacity) {}

Brain::~Brain() {
  for (auto& skill : skills_)
    skill->detach();
}

void Brain::add(std::shared_ptr<Skill> skill) {
  if (!skill) return;
  if (in_cycle_) {
    deferred_.push_back({std::move(skill), {}});
  } else {
    apply({std::move(skill), {}});
  }
}

void Brain::remove(std::string_view name) {
  if (in_cycle_) {
    deferred_.push_back({nullptr, std::string(name)});
  } else {
    apply({nullptr, std::string(name)});
  }
}

void Brain::apply(Change change) {
  const std::string name = change.added ? change.added->name() : change.removed;
  auto found = std::find(names_.begin(), names_.end(), name);
  if (found != names_.end()) {
    const auto index = static_cast<std::size_t>(found - names_.begin());
    std::shared_ptr<Skill> old = std::move(skills_[index]);
    if (change.added) change.added->restore_state(old->save_state());
    old->detach();
    skills_.erase(skills_.begin() + static_cast<std::ptrdiff_t>(index));
    names_.erase(found);
  }
  if (change.added) {
    change.added->attach(kokoro_);
    skills_.push_back(std::move(change.added));
    names_.push_back(name);
  }
}

std::shared_ptr<Skill> Brain::skill(std::string_view name) const {
  auto found = std::find(names_.begin(), names_.end(), name);
  if (found == names_.end()) return make_null_skill();
  return skills_[static_cast<std::size_t>(found - names_.begin())];
}

bool Brain::has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::vector<std::shared_ptr<Skill>> Brain::skills() const {
  return skills_;
}

Reply Brain::think(std::string_view text) {
  if (auto problem = check_input(text, options_.max_input_bytes)) {
    Reply reply;
    reply.error = std::move(*problem);
    reply.emotion = kokoro_.emotion();
    return reply;
  }
  return think(Stimulus{std::string(text), {}, {}});
}

Reply Brain::think(const Stimulus& stimulus) {
  Reply reply;
  in_cycle_ = true;
  offer(stimulus, reply);
  end_cycle(reply);
  return reply;
}

void Brain::offer(const Stimulus& stimulus, Reply& reply) {
  Turn turn(stimulus, *this);
  for (std::size_t i = 0; i < skills_.size() && !turn.consumed(); ++i) {
    if (skills_[i]->kind() != SkillKind::aware) continue;
    const std::size_t answers_before = turn.answers().size();
    contained(names_[i], "perceive", reply, [&] { skills_[i]->perceive(turn); });
    for (std::size_t a = answers_before; a < turn.answers().size(); ++a) {
      submit(std::move(turn.answers()[a]), names_[i], reply);
    }
  }
  if (turn.consumed()) return;

  const auto& target = turn.routed_to();
  if (target && !has(*target)) {
    reply.notices.push_back(fmt::format("input was routed to '{}', which is not loaded", *target));
    return;
  }
  for (std::size_t i = 0; i < skills_.size(); ++i) {
    if (skills_[i]->kind() == SkillKind::aware) continue;
    if (target && names_[i] != *target) continue;
    std::optional<Algorithm> algorithm;
    contained(names_[i], "input", reply, [&] { algorithm = skills_[i]->input(stimulus); });
    submit(std::move(algorithm), names_[i], reply);
  }
}

Reply Brain::tick() {
  Reply reply;
  in_cycle_ = true;
  if (dispatcher_.idle()) {
    for (std::size_t i = 0; i < skills_.size(); ++i) {
      if (skills_[i]->kind() != SkillKind::continuous) continue;
      std::optional<Algorithm> algorithm;
      contained(names_[i], "tick", reply, [&] { algorithm = skills_[i]->tick(); });
      submit(std::move(algorithm), names_[i], reply);
    }
  }
  end_cycle(reply);
  return reply;
}

void Brain::submit(std::optional<Algorithm> algorithm, const std::string& origin, Reply& reply) {
  if (!algorithm) return;
  algorithm->set_origin(origin);
  if (auto refusal = dispatcher_.submit(std::move(*algorithm))) {
    spdlog::warn("{}", *refusal);
    reply.notices.push_back(std::move(*refusal));
  }
}

void Brain::end_cycle(Reply& reply) {
  if (auto step = dispatcher_.tick()) {
    reply.skill = step->origin;
    if (!step->failure.empty()) {
      reply.notices.push_back(
          fmt::format("skill '{}' failed in a step: {}", step->origin, step->failure));
      spdlog::warn("{}", reply.notices.back());
    }
    if (step->line) {
      for (const auto& sink : sinks_)
        sink(Output{*step->line, step->origin});
      reply.lines.push_back(std::move(*step->line));
    }
  }
  in_cycle_ = false;
  auto changes = std::move(deferred_);
  deferred_.clear();
  for (auto& change : changes)
    apply(std::move(change));
  reply.emotion = kokoro_.emotion();
}

}  // namespace requip

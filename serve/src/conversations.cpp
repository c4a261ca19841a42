#include "requip/serve/conversations.hpp"

#include <algorithm>

#include "session_router.hpp"

namespace requip::serve {

namespace {

void append(TurnResult& result, const Reply& reply) {
  result.replies.insert(result.replies.end(), reply.lines.begin(), reply.lines.end());
  result.notices.insert(result.notices.end(), reply.notices.begin(), reply.notices.end());
  if (!reply.skill.empty()) result.skill = reply.skill;
  result.emotion = reply.emotion;
}

}  // namespace

bool valid_session_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

Conversations::Conversations(Brain& brain, std::shared_ptr<router::RouterModel> model)
    : brain_(brain), model_(std::move(model)) {
  if (!model_) return;
  session_router_ = std::make_shared<SessionRouter>();
  brain_.add(session_router_);
}

Conversations::~Conversations() {
  if (session_router_) brain_.remove(session_router_->name());
}

void Conversations::on_turn_boundary(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  boundary_hooks_.push_back(std::move(hook));
}

Conversations::Session& Conversations::session(const std::string& id) {
  auto [at, created] = sessions_.try_emplace(id);
  if (created && model_) {
    router::RouterSkillOptions options;
    options.session = id;  // the feedback log says which session taught what
    at->second.router = std::make_shared<router::RouterSkill>(model_, std::move(options));
  }
  at->second.last_used = std::chrono::steady_clock::now();
  return at->second;
}

TurnResult Conversations::converse(const std::string& id, std::string_view text) {
  std::lock_guard lock(mutex_);
  for (const auto& hook : boundary_hooks_)
    hook();
  Session& current = session(id);
  if (session_router_) session_router_->activate(current.router);
  TurnResult result;
  const Reply first = brain_.think(text);
  result.error = first.error;
  append(result, first);
  // Every step of a multi-step answer belongs to this turn, not to the next session's.
  while (brain_.busy())
    append(result, brain_.tick());
  if (current.router && result.error.empty()) result.why = current.router->explanation();
  if (!result.skill.empty()) last_session_of_skill_[result.skill] = id;
  return result;
}

std::optional<PushedOutput> Conversations::tick() {
  std::lock_guard lock(mutex_);
  for (const auto& hook : boundary_hooks_)
    hook();
  // Turns run to their last step, so the brain is idle here and only continuous skills act.
  const Reply reply = brain_.tick();
  auto owner = last_session_of_skill_.find(reply.skill);
  if (reply.lines.empty() || owner == last_session_of_skill_.end()) return std::nullopt;
  return PushedOutput{owner->second, reply.skill, reply.lines};
}

std::size_t Conversations::expire(std::chrono::steady_clock::time_point cutoff,
                                  const std::function<bool(const std::string&)>& keep) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.last_used < cutoff && !keep(entry.first);
  });
}

std::size_t Conversations::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<SkillSummary> Conversations::skills() const {
  std::lock_guard lock(mutex_);
  std::vector<SkillSummary> summaries;
  for (const auto& skill : brain_.skills()) {
    summaries.push_back({skill->name(), skill->version(), std::string(to_string(skill->kind())),
                         skill->description()});
  }
  return summaries;
}

}  // namespace requip::serve

#include "requip/router/stored_conversation.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "requip/core/detail/library_log.hpp"

namespace requip::router {

namespace {

// Where in the router's memory of a user the state is kept.
constexpr std::string_view record_key = "conversation";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A question's moment crosses processes as wall-clock time, since each process's steady clock
// starts at its own zero. One offset per process keeps a question's record the same from one
// turn to the next, so an unchanged conversation is not written again.
std::chrono::milliseconds steady_to_wall() {
  static const auto offset =
      std::chrono::milliseconds(now_ms()) - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                FollowUp::Clock::now().time_since_epoch());
  return offset;
}

nlohmann::json question_json(const FollowUp& question) {
  const auto asked_at =
      std::chrono::duration_cast<std::chrono::milliseconds>(question.asked_at.time_since_epoch()) +
      steady_to_wall();
  nlohmann::json json{
      {"skill", question.skill}, {"topic", question.topic}, {"asked_at", asked_at.count()}};
  if (question.timeout) json["timeout_ms"] = question.timeout->count();
  return json;
}

FollowUp question_from(const nlohmann::json& json) {
  FollowUp question;
  question.skill = json.at("skill").get<std::string>();
  question.topic = json.at("topic").get<std::string>();
  const std::chrono::milliseconds asked_at(json.at("asked_at").get<std::int64_t>());
  question.asked_at = FollowUp::Clock::time_point(asked_at - steady_to_wall());
  if (json.contains("timeout_ms")) {
    question.timeout = std::chrono::milliseconds(json["timeout_ms"].get<std::int64_t>());
  }
  return question;
}

// The part of a record that says what the conversation is, without when it was written.
std::string contents(const SessionState& state, const std::optional<FollowUp>& question) {
  if (!question) return fmt::format(R"("state":{})", state.to_json());
  return fmt::format(R"("state":{},"question":{})", state.to_json(),
                     question_json(*question).dump());
}

}  // namespace

bool StoredConversation::resume(const MementoView& memory, SessionState& state,
                                std::optional<FollowUp>& question) {
  const auto stored = memory.get(record_key);
  if (!stored || *stored == record_) return false;
  try {
    const auto record = nlohmann::json::parse(*stored);
    const auto at = record.at("at").get<std::int64_t>();
    if (now_ms() - at > std::chrono::milliseconds(resume_within_).count()) return false;
    SessionState stored_state = SessionState::from_json(record.at("state").dump());
    std::optional<FollowUp> stored_question;
    if (record.contains("question")) stored_question = question_from(record["question"]);
    state = std::move(stored_state);
    question = std::move(stored_question);
    record_ = *stored;
    state_ = contents(state, question);
    written_at_ms_ = at;
    return true;
  } catch (const std::exception& error) {
    requip::detail::library_log().warn("router: stored conversation state: {}", error.what());
    return false;
  }
}

void StoredConversation::keep(MementoView memory, const SessionState& state,
                              const std::optional<FollowUp>& question) {
  std::string current = contents(state, question);
  const std::int64_t now = now_ms();
  const auto rewrite_after = std::chrono::milliseconds(resume_within_).count() / 4;
  if (current == state_ && now - written_at_ms_ < rewrite_after) return;
  std::string record = fmt::format(R"({{"at":{},{}}})", now, current);
  memory.put(record_key, record);
  record_ = std::move(record);
  state_ = std::move(current);
  written_at_ms_ = now;
}

}  // namespace requip::router

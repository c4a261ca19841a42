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

}  // namespace

void StoredConversation::resume(const MementoView& memory, SessionState& state) {
  const auto stored = memory.get(record_key);
  if (!stored || *stored == record_) return;
  try {
    const auto record = nlohmann::json::parse(*stored);
    const auto at = record.at("at").get<std::int64_t>();
    if (now_ms() - at > std::chrono::milliseconds(resume_within_).count()) return;
    std::string stored_state = record.at("state").dump();
    state = SessionState::from_json(stored_state);
    record_ = *stored;
    state_ = std::move(stored_state);
    written_at_ms_ = at;
  } catch (const std::exception& error) {
    requip::detail::library_log().warn("router: stored conversation state: {}", error.what());
  }
}

void StoredConversation::keep(MementoView memory, const SessionState& state) {
  std::string current = state.to_json();
  const std::int64_t now = now_ms();
  const auto rewrite_after = std::chrono::milliseconds(resume_within_).count() / 4;
  if (current == state_ && now - written_at_ms_ < rewrite_after) return;
  std::string record = fmt::format(R"({{"at":{},"state":{}}})", now, current);
  memory.put(record_key, record);
  record_ = std::move(record);
  state_ = std::move(current);
  written_at_ms_ = now;
}

}  // namespace requip::router

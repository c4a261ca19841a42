#include "openai.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "json_error.hpp"
#include "json_text.hpp"
#include "turn_json.hpp"

namespace requip::serve {

namespace {

// OpenAI message content is a string, or a list of parts of which the text ones count.
std::string content_text(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array())
    throw BadRequest("message \"content\" must be a string or a list of parts");
  std::string text;
  for (const auto& part : content) {
    // Comparing with a string never throws, whatever type the client sent.
    if (part.is_object() && part.contains("type") && part["type"] == "text" &&
        part.contains("text") && part["text"].is_string()) {
      text += part["text"].get<std::string>();
    }
  }
  return text;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines)
    text += (text.empty() ? "" : "\n") + line;
  return text;
}

nlohmann::json chunk(const CompletionRequest& request, const CompletionId& id, nlohmann::json delta,
                     nlohmann::json finish_reason) {
  return {
      {"id", id.id},
      {"object", "chat.completion.chunk"},
      {"created", id.created},
      {"model", request.model},
      {"choices", {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}}}}};
}

}  // namespace

CompletionRequest parse_completion_request(std::string_view body, std::string_view session_header) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw BadRequest("the body is not a JSON object: send {\"messages\": [...]}");
  }
  const auto messages = json.find("messages");
  if (messages == json.end() || !messages->is_array() || messages->empty()) {
    throw BadRequest("\"messages\" must be a non-empty list of {\"role\", \"content\"}");
  }
  CompletionRequest request;
  for (const auto& message : *messages) {
    if (!message.is_object() || !message.contains("role") || !message.contains("content")) {
      throw BadRequest("each message needs \"role\" and \"content\"");
    }
    if (message["role"] == "user") request.text = content_text(message["content"]);
  }
  if (request.text.empty()) throw BadRequest("no user message with text in \"messages\"");
  if (json.contains("model") && !json["model"].is_string())
    throw BadRequest("\"model\" must be a string");
  request.model = json.value("model", "requip");
  if (json.contains("stream") && !json["stream"].is_boolean()) {
    throw BadRequest("\"stream\" must be true or false");
  }
  request.stream = json.value("stream", false);
  if (json.contains("user") && !json["user"].is_string())
    throw BadRequest("\"user\" must be a string");
  request.session = json.value("user", std::string(session_header));
  if (request.session.empty()) request.session = "default";
  if (!valid_session_id(request.session)) {
    throw BadRequest(
        fmt::format("session \"{}\" is not 1 to 64 of [A-Za-z0-9_.-]", request.session));
  }
  return request;
}

std::string completion_json(const CompletionRequest& request, const CompletionId& id,
                            const Reply& turn) {
  const nlohmann::json message = {{"role", "assistant"}, {"content", joined(turn.lines)}};
  return json_text({{"id", id.id},
                    {"object", "chat.completion"},
                    {"created", id.created},
                    {"model", request.model},
                    {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", "stop"}}}},
                    {"requip", turn_json(turn)}});
}

namespace {
std::string event(const nlohmann::json& data) {
  return fmt::format("data: {}\n\n", json_text(data));
}
}  // namespace

std::string completion_start_event(const CompletionRequest& request, const CompletionId& id) {
  return event(chunk(request, id, {{"role", "assistant"}, {"content", ""}}, nullptr));
}

std::string completion_line_event(const CompletionRequest& request, const CompletionId& id,
                                  std::string_view line, bool first) {
  return event(chunk(request, id, {{"content", (first ? "" : "\n") + std::string(line)}}, nullptr));
}

std::string completion_end_event(const CompletionRequest& request, const CompletionId& id,
                                 std::string_view error) {
  std::string events;
  if (!error.empty()) {
    events += event({{"error", {{"message", error}, {"type", "server_error"}}}});
  } else {
    events += event(chunk(request, id, nlohmann::json::object(), "stop"));
  }
  return events + "data: [DONE]\n\n";
}

}  // namespace requip::serve

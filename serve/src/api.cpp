#include "api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "json_error.hpp"
#include "json_text.hpp"
#include "openai.hpp"
#include "turn_json.hpp"

namespace requip::serve {

namespace {

constexpr std::string_view sessions_prefix = "/v1/sessions/";

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// "/v1/sessions/{id}/{leaf}" -> id, if the path has that shape.
std::optional<std::string> session_in(std::string_view path, std::string_view leaf) {
  if (!path.starts_with(sessions_prefix)) return std::nullopt;
  path.remove_prefix(sessions_prefix.size());
  const auto slash = path.find('/');
  if (slash == std::string_view::npos || path.substr(slash + 1) != leaf) return std::nullopt;
  return std::string(path.substr(0, slash));
}

}  // namespace

Api::Api(Conversations& conversations, StreamHub& streams, const ServerOptions& options)
    : conversations_(conversations), streams_(streams), options_(options) {}

std::optional<std::string> Api::stream_session(std::string_view target) {
  return session_in(path_of(target), "stream");
}

bool Api::authorized(const Request& request) const {
  if (options_.token.empty()) return true;
  return request[http::field::authorization] == "Bearer " + options_.token;
}

Response Api::reply(const Request& request, http::status status, std::string body,
                    std::string_view content_type) const {
  Response response{status, request.version()};
  response.set(http::field::server, "requip");
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response Api::error(const Request& request, http::status status, std::string_view message) const {
  const bool auth_failed = status == http::status::unauthorized;
  const std::string_view type = auth_failed ? "authentication_error"
                                : http::to_status_class(status) == http::status_class::server_error
                                    ? "server_error"
                                    : "invalid_request_error";
  Response response = reply(request, status, error_json(message, type));
  if (auth_failed) response.set(http::field::www_authenticate, "Bearer");
  return response;
}

Response Api::unauthorized(const Request& request) const {
  return error(request, http::status::unauthorized,
               "missing or wrong bearer token: send \"Authorization: Bearer <token>\"");
}

TurnResult Api::converse(const std::string& session, std::string_view text) {
  TurnResult turn = conversations_.converse(session, text);
  if (turn.error.empty() && streams_.watched(session)) {
    auto pushed = turn_json(turn);
    pushed["type"] = "turn";
    pushed["text"] = text;
    streams_.publish(session, json_text(pushed));
  }
  return turn;
}

Response Api::handle(const Request& request) {
  // The one barrier between a request and the server: whatever a handler throws ends as a
  // 500 for this request, never as std::terminate for every session.
  try {
    return route(request);
  } catch (const std::exception& failure) {
    spdlog::error("answering {} {}: {}", http::to_string(request.method()),
                  json_text(std::string(request.target())), failure.what());
    return error(request, http::status::internal_server_error,
                 fmt::format("the server failed to answer this request: {}", failure.what()));
  }
}

Response Api::route(const Request& request) {
  const std::string_view path = path_of(request.target());
  const auto expect = [&](http::verb method) -> std::optional<Response> {
    if (request.method() == method) return std::nullopt;
    return error(request, http::status::method_not_allowed,
                 fmt::format("{} takes {} only", path, http::to_string(method)));
  };
  if (path == "/healthz") {
    if (auto refused = expect(http::verb::get)) return *refused;
    const nlohmann::json health = {
        {"status", "ok"}, {"sessions", conversations_.sessions()}, {"streams", streams_.streams()}};
    return reply(request, http::status::ok, json_text(health));
  }
  if (!authorized(request)) return unauthorized(request);
  if (path == "/v1/skills") {
    if (auto refused = expect(http::verb::get)) return *refused;
    return reply(request, http::status::ok, json_text(skills_json(conversations_.skills())));
  }
  if (path == "/v1/chat/completions") {
    if (auto refused = expect(http::verb::post)) return *refused;
    return completions(request);
  }
  if (auto session = session_in(path, "messages")) {
    if (auto refused = expect(http::verb::post)) return *refused;
    return messages(request, *session);
  }
  if (stream_session(path)) {
    return error(request, http::status::upgrade_required,
                 fmt::format("{} is a WebSocket: connect with a WebSocket client", path));
  }
  return error(request, http::status::not_found, fmt::format("no endpoint at {}", path));
}

Response Api::messages(const Request& request, const std::string& session) {
  if (!valid_session_id(session)) {
    return error(request, http::status::bad_request,
                 fmt::format("session \"{}\" is not 1 to 64 of [A-Za-z0-9_.-]", session));
  }
  try {
    const TurnResult turn = converse(session, text_of_message(request.body()));
    if (!turn.error.empty()) return error(request, http::status::bad_request, turn.error);
    return reply(request, http::status::ok, json_text(turn_json(turn)));
  } catch (const BadRequest& bad) {
    return error(request, http::status::bad_request, bad.what());
  }
}

Response Api::completions(const Request& request) {
  try {
    const auto completion =
        parse_completion_request(request.body(), std::string_view(request["X-Requip-Session"]));
    const TurnResult turn = converse(completion.session, completion.text);
    if (!turn.error.empty()) return error(request, http::status::bad_request, turn.error);
    const CompletionId id{fmt::format("chatcmpl-{}", ++completions_served_),
                          std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()};
    if (!completion.stream) {
      return reply(request, http::status::ok, completion_json(completion, id, turn));
    }
    Response events = reply(request, http::status::ok, completion_events(completion, id, turn),
                            "text/event-stream");
    events.set(http::field::cache_control, "no-cache");
    return events;
  } catch (const BadRequest& bad) {
    return error(request, http::status::bad_request, bad.what());
  }
}

}  // namespace requip::serve

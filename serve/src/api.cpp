#include "api.hpp"

#include <fmt/format.h>

#include <chrono>

#include "json_error.hpp"
#include "json_text.hpp"
#include "openai.hpp"
#include "requip/core/detail/library_log.hpp"
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

void Api::converse(const std::string& session, std::string text, Brain::Sink on_line,
                   Conversations::Done done) {
  auto said = std::make_shared<std::string>(text);
  // A stream sees each line as its step runs, then the whole turn.
  auto each_line = [this, session, on_line = std::move(on_line)](const Output& output) {
    if (on_line) on_line(output);
    if (!streams_.watched(session)) return;
    streams_.publish(session,
                     json_text({{"type", "line"}, {"skill", output.skill}, {"line", output.line}}));
  };
  conversations_.converse(
      session, std::move(text), std::move(each_line),
      [this, session, said, done = std::move(done)](Reply turn, TurnEnd end) {
        if (end == TurnEnd::answered && turn.error.empty() && streams_.watched(session)) {
          auto pushed = turn_json(turn);
          pushed["type"] = "turn";
          pushed["text"] = *said;
          streams_.publish(session, json_text(pushed));
        }
        done(std::move(turn), end);
      });
}

void Api::handle(const Request& request, const Respond& respond) {
  // The one barrier between a request and the server: whatever a handler throws ends as a
  // 500 for this request, never as std::terminate for every session.
  const auto failed = [&](std::string_view what) {
    requip::detail::library_log().error("answering {} {}: {}", http::to_string(request.method()),
                                        json_text(std::string(request.target())), what);
    respond->respond(error(request, http::status::internal_server_error,
                           fmt::format("the server failed to answer this request: {}", what)));
  };
  try {
    route(request, respond);
  } catch (const std::exception& failure) {
    failed(failure.what());
  }
}

void Api::route(const Request& request, const Respond& respond) {
  const std::string_view path = path_of(request.target());
  const auto wrong_method = [&](http::verb method) {
    if (request.method() == method) return false;
    respond->respond(error(request, http::status::method_not_allowed,
                           fmt::format("{} takes {} only", path, http::to_string(method))));
    return true;
  };
  if (path == "/healthz") {
    if (wrong_method(http::verb::get)) return;
    const nlohmann::json health = {
        {"status", "ok"}, {"sessions", conversations_.sessions()}, {"streams", streams_.streams()}};
    return respond->respond(reply(request, http::status::ok, json_text(health)));
  }
  if (!authorized(request)) return respond->respond(unauthorized(request));
  if (path == "/v1/skills") {
    if (wrong_method(http::verb::get)) return;
    return respond->respond(
        reply(request, http::status::ok, json_text(skills_json(conversations_.skills()))));
  }
  if (path == "/v1/chat/completions") {
    if (wrong_method(http::verb::post)) return;
    return completions(request, respond);
  }
  if (auto session = session_in(path, "messages")) {
    if (wrong_method(http::verb::post)) return;
    return messages(request, *session, respond);
  }
  if (stream_session(path)) {
    return respond->respond(
        error(request, http::status::upgrade_required,
              fmt::format("{} is a WebSocket: connect with a WebSocket client", path)));
  }
  respond->respond(error(request, http::status::not_found, fmt::format("no endpoint at {}", path)));
}

std::optional<Response> Api::failed_turn(const Request& request, const Reply& turn,
                                         TurnEnd end) const {
  switch (end) {
    case TurnEnd::timed_out:
      return error(request, http::status::gateway_timeout, turn.error);
    case TurnEnd::stopped:
      return error(request, http::status::service_unavailable, turn.error);
    case TurnEnd::answered:
      if (!turn.unavailable.empty())
        return error(request, http::status::service_unavailable, turn.unavailable);
      if (!turn.error.empty()) return error(request, http::status::bad_request, turn.error);
      return std::nullopt;
  }
  return std::nullopt;
}

void Api::messages(const Request& request, const std::string& session, const Respond& respond) {
  if (!valid_session_id(session)) {
    return respond->respond(
        error(request, http::status::bad_request,
              fmt::format("session \"{}\" is not 1 to 64 of [A-Za-z0-9_.-]", session)));
  }
  std::string text;
  try {
    text = text_of_message(request.body());
  } catch (const BadRequest& bad) {
    return respond->respond(error(request, http::status::bad_request, bad.what()));
  }
  // The request goes away with the connection's read buffer; what the answer needs is copied.
  auto head = std::make_shared<Request>(request.method(), request.target(), request.version());
  head->keep_alive(request.keep_alive());
  converse(session, std::move(text), {}, [this, head, respond](Reply turn, TurnEnd end) {
    if (auto failed = failed_turn(*head, turn, end)) return respond->respond(std::move(*failed));
    respond->respond(reply(*head, http::status::ok, json_text(turn_json(turn))));
  });
}

void Api::completions(const Request& request, const Respond& respond) {
  CompletionRequest completion;
  try {
    completion =
        parse_completion_request(request.body(), std::string_view(request["X-Requip-Session"]));
  } catch (const BadRequest& bad) {
    return respond->respond(error(request, http::status::bad_request, bad.what()));
  }
  if (completion.stream) return stream_completion(request, completion, respond);
  auto head = std::make_shared<Request>(request.method(), request.target(), request.version());
  head->keep_alive(request.keep_alive());
  converse(completion.session, completion.text, {},
           [this, head, respond, completion](Reply turn, TurnEnd end) {
             if (auto failed = failed_turn(*head, turn, end)) {
               return respond->respond(std::move(*failed));
             }
             respond->respond(reply(*head, http::status::ok,
                                    completion_json(completion, next_completion_id(), turn)));
           });
}

CompletionId Api::next_completion_id() {
  return {fmt::format("chatcmpl-{}", ++completions_served_),
          std::chrono::duration_cast<std::chrono::seconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count()};
}

void Api::stream_completion(const Request& request, const CompletionRequest& completion,
                            const Respond& respond) {
  // Once the head is out a bad input can no longer be a 400: it is checked first.
  if (auto problem = conversations_.refusal(completion.text)) {
    return respond->respond(error(request, http::status::bad_request, *problem));
  }
  Response head = reply(request, http::status::ok, {}, "text/event-stream");
  head.set(http::field::cache_control, "no-cache");
  respond->begin_body(std::move(head));
  const CompletionId id = next_completion_id();
  respond->body_piece(completion_start_event(completion, id));
  auto first = std::make_shared<std::atomic<bool>>(true);
  converse(
      completion.session, completion.text,
      [respond, completion, id, first](const Output& output) {
        respond->body_piece(
            completion_line_event(completion, id, output.line, first->exchange(false)));
      },
      [respond, completion, id](Reply turn, TurnEnd end) {
        const bool ended = end == TurnEnd::answered && turn.error.empty();
        respond->body_piece(completion_end_event(completion, id, ended ? "" : turn.error));
        respond->end_body();
      });
}

}  // namespace requip::serve

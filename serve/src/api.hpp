#pragma once

#include <boost/beast/http.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "openai.hpp"
#include "requip/serve/server.hpp"
#include "stream_hub.hpp"

namespace requip::serve {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The endpoints, as a function from a request to its response. Transport-free, so that the
// HTTP session only reads, writes and upgrades.
class Api {
 public:
  // Where a request's answer goes: a whole response, or a head and then body pieces as they
  // are made (server-sent events). Called maybe later and from a turn thread.
  class Responder {
   public:
    virtual ~Responder() = default;
    virtual void respond(Response response) = 0;
    virtual void begin_body(Response head) = 0;
    virtual void body_piece(std::string piece) = 0;
    virtual void end_body() = 0;
  };
  using Respond = std::shared_ptr<Responder>;

  Api(Conversations& conversations, StreamHub& streams, const ServerOptions& options);

  // Never throws: a failure inside a handler is a 500 with a JSON error.
  void handle(const Request& request, const Respond& respond);
  // The session a WebSocket target /v1/sessions/{id}/stream names, if that is what it is.
  static std::optional<std::string> stream_session(std::string_view target);
  bool authorized(const Request& request) const;
  Response error(const Request& request, http::status status, std::string_view message) const;
  Response unauthorized(const Request& request) const;
  // Queues a turn of a session; once it ends, pushes it to the session's streams and gives
  // `done` the reply.
  // `on_line` also gets each line as its step runs.
  void converse(const std::string& session, std::string text, Brain::Sink on_line,
                Conversations::Done done);

 private:
  void route(const Request& request, const Respond& respond);
  void messages(const Request& request, const std::string& session, const Respond& respond);
  void completions(const Request& request, const Respond& respond);
  CompletionId next_completion_id();
  void stream_completion(const Request& request, const CompletionRequest& completion,
                         const Respond& respond);
  // The response to a turn that did not answer (timed out, stopped, refused), if it did not.
  std::optional<Response> failed_turn(const Request& request, const Reply& turn, TurnEnd end) const;
  Response reply(const Request& request, http::status status, std::string body,
                 std::string_view content_type = "application/json") const;

  Conversations& conversations_;
  StreamHub& streams_;
  const ServerOptions& options_;
  std::atomic<std::uint64_t> completions_served_{0};
};

}  // namespace requip::serve

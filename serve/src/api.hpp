#pragma once

#include <boost/beast/http.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

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
  Api(Conversations& conversations, StreamHub& streams, const ServerOptions& options);

  // Never throws: a failure inside a handler is a 500 with a JSON error.
  Response handle(const Request& request);
  // The session a WebSocket target /v1/sessions/{id}/stream names, if that is what it is.
  static std::optional<std::string> stream_session(std::string_view target);
  bool authorized(const Request& request) const;
  Response error(const Request& request, http::status status, std::string_view message) const;
  Response unauthorized(const Request& request) const;
  // Runs a turn for a session and pushes it to the session's streams.
  TurnResult converse(const std::string& session, std::string_view text);

 private:
  Response route(const Request& request);
  Response messages(const Request& request, const std::string& session);
  Response completions(const Request& request);
  Response reply(const Request& request, http::status status, std::string body,
                 std::string_view content_type = "application/json") const;

  Conversations& conversations_;
  StreamHub& streams_;
  const ServerOptions& options_;
  std::atomic<std::uint64_t> completions_served_{0};
};

}  // namespace requip::serve

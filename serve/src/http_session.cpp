#include "http_session.hpp"

#include <fmt/format.h>

#include <boost/asio/defer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <sstream>

#include "stream_session.hpp"

namespace requip::serve {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {
// A keep-alive connection that sends nothing for this long is closed, not held for ever.
constexpr std::chrono::seconds idle_connection_timeout{60};
}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerContext& context)
    : stream_(std::move(socket)), context_(context) {}

HttpSession::~HttpSession() {
  context_.connections.remove(this);
}

void HttpSession::start() {
  context_.connections.add(shared_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
}

void HttpSession::drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->draining_ = true;
    // A request in flight is answered first; on_write closes after it.
    if (!self->busy_) self->close();
  });
}

void HttpSession::read() {
  parser_.emplace();
  parser_->body_limit(context_.options.max_body_bytes);
  stream_.expires_after(idle_connection_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
}

void HttpSession::on_read(beast::error_code error) {
  if (error == http::error::end_of_stream || error == net::error::operation_aborted ||
      error == beast::error::timeout) {
    close();
    return;
  }
  if (error == net::error::eof || error == net::error::connection_reset) {
    close();
    return;
  }
  if (error) {
    // What was read cannot be trusted past here: answer once, then close.
    Request partial = parser_->get();
    if (partial.version() == 0) partial.version(11);
    const bool too_large = error == http::error::body_limit;
    const std::string message =
        too_large ? fmt::format("the body is larger than {} bytes: send a shorter message",
                                context_.options.max_body_bytes)
                  : fmt::format("malformed HTTP request: {}", error.message());
    Response response = context_.api.error(
        partial, too_large ? http::status::payload_too_large : http::status::bad_request, message);
    response.keep_alive(false);
    busy_ = true;
    write(std::move(response));
    return;
  }
  stream_.expires_never();  // a turn may wait for the brain; its answer is written in full
  Request request = parser_->release();
  if (beast::websocket::is_upgrade(request)) {
    upgrade(std::move(request));
    return;
  }
  busy_ = true;
  context_.api.handle(request, shared_from_this());
}

// A turn answers later, from a turn thread: what it sends comes back to this connection's
// strand to be written.
void HttpSession::respond(Response response) {
  net::defer(stream_.get_executor(),
             [self = shared_from_this(), response = std::move(response)]() mutable {
               if (self->draining_) response.keep_alive(false);
               self->write(std::move(response));
             });
}

void HttpSession::begin_body(Response head) {
  head.chunked(true);
  std::ostringstream header;
  header << head.base();
  net::post(stream_.get_executor(),
            [self = shared_from_this(), keep_alive = head.keep_alive(), text = header.str()] {
              self->pieces_keep_alive_ = keep_alive && !self->draining_;
              self->queue_piece(text, false);
            });
}

void HttpSession::body_piece(std::string piece) {
  if (piece.empty()) return;  // an empty chunk would end the body
  std::string chunk = fmt::format("{:x}\r\n", piece.size());
  chunk += piece;
  chunk += "\r\n";
  net::post(stream_.get_executor(), [self = shared_from_this(), chunk = std::move(chunk)] {
    self->queue_piece(chunk, false);
  });
}

void HttpSession::end_body() {
  net::post(stream_.get_executor(),
            [self = shared_from_this()] { self->queue_piece("0\r\n\r\n", true); });
}

void HttpSession::queue_piece(std::string piece, bool last) {
  pieces_.push_back({std::make_shared<const std::string>(std::move(piece)), last});
  if (pieces_.size() == 1) write_piece();
}

void HttpSession::write_piece() {
  net::async_write(stream_, net::buffer(*pieces_.front().bytes),
                   [self = shared_from_this()](beast::error_code error, std::size_t) {
                     const bool last = self->pieces_.front().last;
                     self->pieces_.pop_front();
                     if (error) {
                       self->pieces_.clear();
                       self->close();
                     } else if (last) {
                       self->on_write(self->pieces_keep_alive_, error);
                     } else if (!self->pieces_.empty()) {
                       self->write_piece();
                     }
                   });
}

void HttpSession::upgrade(Request request) {
  auto session = Api::stream_session(request.target());
  std::optional<Response> refused;
  if (!session) {
    refused = context_.api.error(
        request, http::status::not_found,
        fmt::format("no WebSocket at {}: a session's stream is /v1/sessions/{{id}}/stream",
                    std::string(request.target())));
  } else if (!context_.api.authorized(request)) {
    refused = context_.api.unauthorized(request);
  } else if (!valid_session_id(*session)) {
    refused = context_.api.error(
        request, http::status::bad_request,
        fmt::format("session \"{}\" is not 1 to 64 of [A-Za-z0-9_.-]", *session));
  }
  if (refused) {
    busy_ = true;
    refused->keep_alive(false);
    write(std::move(*refused));
    return;
  }
  std::make_shared<StreamSession>(stream_.release_socket(), context_, std::move(*session))
      ->accept(std::move(request));
}

void HttpSession::write(Response response) {
  response_ = std::make_shared<Response>(std::move(response));
  const bool keep_alive = response_->keep_alive();
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                      self->on_write(keep_alive, error);
                    });
}

void HttpSession::on_write(bool keep_alive, beast::error_code error) {
  busy_ = false;
  response_.reset();
  if (error || !keep_alive || draining_) {
    close();
    return;
  }
  read();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace requip::serve

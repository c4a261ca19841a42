#include "stream_session.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>

#include "json_error.hpp"
#include "turn_json.hpp"

namespace requip::serve {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;

StreamSession::StreamSession(net::ip::tcp::socket&& socket, ServerContext& context,
                             std::string session)
    : socket_(std::move(socket)), context_(context), session_(std::move(session)) {}

StreamSession::~StreamSession() {
  context_.streams.unsubscribe(session_, this);
  context_.connections.remove(this);
}

void StreamSession::accept(Request request) {
  context_.connections.add(shared_from_this());
  socket_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  socket_.read_message_max(context_.options.max_body_bytes);
  // Subscribed before the handshake: a client that sees it finish may post a turn at once,
  // and that turn's frame must not be lost. Frames wait in the outbox until the stream is open.
  context_.streams.subscribe(session_, shared_from_this());
  socket_.async_accept(request, [self = shared_from_this()](beast::error_code error) {
    if (error) return;
    self->open_ = true;
    if (!self->outbox_.empty()) self->flush();
    self->read();
  });
}

void StreamSession::read() {
  socket_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
    self->on_read(error);
  });
}

void StreamSession::on_read(beast::error_code error) {
  if (error) return;  // closed by either side; the last reference goes with this handler
  const std::string frame = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  try {
    // The turn reaches this stream, like every other of the session's, through the hub; only
    // a refusal or a timeout is this frame's own answer.
    context_.api.converse(session_, text_of_message(frame), {},
                          [self = shared_from_this()](Reply turn, TurnEnd) {
                            if (turn.error.empty()) return;
                            self->push(std::make_shared<const std::string>(error_json(turn.error)));
                          });
  } catch (const BadRequest& bad) {
    send(std::make_shared<const std::string>(error_json(bad.what())));
  } catch (const std::exception& failure) {
    // This frame's barrier: the stream and every other session go on.
    send(std::make_shared<const std::string>(error_json(
        std::string("the server failed to answer this frame: ") + failure.what(), "server_error")));
  }
  read();
}

void StreamSession::push(std::shared_ptr<const std::string> message) {
  // Deferred, not posted: a turn pushes from a server thread, and its frames are written by
  // that thread once the turn's handler returns, without waking another.
  net::defer(socket_.get_executor(),
             [self = shared_from_this(), message = std::move(message)] { self->send(message); });
}

void StreamSession::send(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  outbox_.push_back(std::move(message));
  if (!open_ || writing_ || flush_due_) return;
  // The write starts after the frames pushed with this one (a turn's lines, then the turn),
  // so that they leave in one TCP segment rather than one each.
  flush_due_ = true;
  net::defer(socket_.get_executor(), [self = shared_from_this()] { self->flush(); });
}

void StreamSession::flush() {
  flush_due_ = false;
  if (!writing_ && !outbox_.empty()) write_next();
}

void StreamSession::write_next() {
  writing_ = true;
  if (outbox_.size() > 1) cork(true);  // until the outbox is empty
  socket_.text(true);
  socket_.async_write(net::buffer(*outbox_.front()),
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->writing_ = false;
                        if (error) return;
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) {
                          self->write_next();
                        } else {
                          self->cork(false);
                        }
                      });
}

// Held back by TCP_CORK, the frames written one by one go out together when it is lifted.
void StreamSession::cork(bool on) {
  if (on == corked_) return;
  corked_ = on;
  const int value = on ? 1 : 0;
  ::setsockopt(beast::get_lowest_layer(socket_).socket().native_handle(), IPPROTO_TCP, TCP_CORK,
               &value, sizeof value);
}

void StreamSession::drain() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->closing_ || !self->socket_.is_open()) return;
    self->closing_ = true;
    // A client that never answers the close frame must not hold the shutdown up for long.
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = std::chrono::seconds(1);
    self->socket_.set_option(timeouts);
    self->socket_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
  });
}

}  // namespace requip::serve

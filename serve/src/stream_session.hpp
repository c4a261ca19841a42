#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>
#include <string>

#include "server_context.hpp"

namespace requip::serve {

// A WebSocket on /v1/sessions/{id}/stream. Everything the session says is pushed as a JSON
// text frame: turns from any client of the session, and reminders that fall due. A frame
// {"text": "..."} from the client is a turn of the session, like a POST to its messages.
class StreamSession final : public Connection,
                            public StreamSubscriber,
                            public std::enable_shared_from_this<StreamSession> {
 public:
  StreamSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, std::string session);
  ~StreamSession() override;

  void accept(Request request);
  void push(std::shared_ptr<const std::string> message) override;
  void drain() override;

 private:
  void read();
  void on_read(boost::beast::error_code error);
  void send(std::shared_ptr<const std::string> message);
  void flush();
  void write_next();
  void cork(bool on);

  boost::beast::websocket::stream<boost::beast::tcp_stream> socket_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> outbox_;  // front() is being written
  bool flush_due_ = false;  // a flush is queued behind the frames being sent
  bool writing_ = false;
  bool corked_ = false;
  ServerContext& context_;
  std::string session_;
  bool open_ = false;  // the handshake has finished
  bool closing_ = false;
};

}  // namespace requip::serve

#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "api.hpp"
#include "server_context.hpp"

namespace requip::serve {

// One HTTP/1.1 connection: reads requests (keep-alive), answers each through the Api, and
// hands the socket to a StreamSession on a WebSocket upgrade. Runs on its own strand.
class HttpSession final : public Connection,
                          public Api::Responder,
                          public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context);
  ~HttpSession() override;

  void start();
  void drain() override;

  // Api::Responder: called from any thread, carried out on this connection's strand.
  void respond(Response response) override;
  void begin_body(Response head) override;
  void body_piece(std::string piece) override;
  void end_body() override;

 private:
  void read();
  void on_read(boost::beast::error_code error);
  void upgrade(Request request);
  void write(Response response);
  void on_write(bool keep_alive, boost::beast::error_code error);
  // Pieces of a response written as they come; the last one ends the response.
  void queue_piece(std::string piece, bool last);
  void write_piece();
  void close();

  struct Piece {
    std::shared_ptr<const std::string> bytes;
    bool last = false;
  };

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;  // alive while it is written
  ServerContext& context_;
  std::deque<Piece> pieces_;
  bool pieces_keep_alive_ = false;
  bool busy_ = false;  // a request is being answered
  bool draining_ = false;
};

}  // namespace requip::serve

#include "serve_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <stdexcept>

namespace requip::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
const tcp::endpoint loopback(std::uint16_t port) {
  return {net::ip::make_address("127.0.0.1"), port};
}
}  // namespace

HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(loopback(port));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers)
    request.set(name, value);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  http::read(stream, buffer, parser);
  const auto& response = parser.get();
  return {static_cast<int>(response.result_int()), std::string(response[http::field::content_type]),
          response.body()};
}

HttpAnswer post_json(std::uint16_t port, const std::string& target, const nlohmann::json& body,
                     const std::map<std::string, std::string>& headers) {
  return http_request(port, "POST", target, body.dump(), headers);
}

nlohmann::json say(std::uint16_t port, const std::string& session, const std::string& text) {
  const auto answer = post_json(port, "/v1/sessions/" + session + "/messages", {{"text", text}});
  if (answer.status != 200) {
    throw std::runtime_error("status " + std::to_string(answer.status) + ": " + answer.body);
  }
  return answer.json();
}

struct WebSocketClient::Socket {
  net::io_context io;
  beast::websocket::stream<beast::tcp_stream> ws{io};
};

WebSocketClient::WebSocketClient(std::uint16_t port, const std::string& target,
                                 const std::map<std::string, std::string>& headers)
    : socket_(std::make_unique<Socket>()) {
  beast::get_lowest_layer(socket_->ws).connect(loopback(port));
  socket_->ws.set_option(
      beast::websocket::stream_base::decorator([headers](beast::websocket::request_type& request) {
        for (const auto& [name, value] : headers)
          request.set(name, value);
      }));
  socket_->ws.handshake("127.0.0.1", target);
}

WebSocketClient::~WebSocketClient() {
  beast::error_code ignored;
  socket_->ws.close(beast::websocket::close_code::normal, ignored);
}

void WebSocketClient::send(const std::string& text) {
  socket_->ws.text(true);
  socket_->ws.write(net::buffer(text));
}

nlohmann::json WebSocketClient::receive(int timeout_ms) {
  while (true) {
    auto frame = receive_any(timeout_ms);
    if (!frame.contains("type") || frame["type"] != "line") return frame;
  }
}

nlohmann::json WebSocketClient::receive_any(int timeout_ms) {
  beast::flat_buffer buffer;
  beast::error_code error;
  bool done = false;
  socket_->ws.async_read(buffer, [&](beast::error_code read_error, std::size_t) {
    error = read_error;
    done = true;
  });
  socket_->io.restart();
  socket_->io.run_for(std::chrono::milliseconds(timeout_ms));
  if (!done) throw std::runtime_error("no WebSocket frame arrived in time");
  if (error) throw beast::system_error(error);
  return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
}

}  // namespace requip::test

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace requip::test {

struct HttpAnswer {
  int status = 0;
  std::string content_type;
  std::string body;

  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One HTTP/1.1 request over a fresh loopback connection, the way any client would send it.
HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = {},
                        const std::map<std::string, std::string>& headers = {});

// POST of a JSON body.
HttpAnswer post_json(std::uint16_t port, const std::string& target, const nlohmann::json& body,
                     const std::map<std::string, std::string>& headers = {});

// One turn of a session through /v1/sessions/{session}/messages: the answer's JSON. Throws
// std::runtime_error with the status and body when it is not 200.
nlohmann::json say(std::uint16_t port, const std::string& session, const std::string& text);

// A WebSocket client on 127.0.0.1, blocking.
class WebSocketClient {
 public:
  WebSocketClient(std::uint16_t port, const std::string& target,
                  const std::map<std::string, std::string>& headers = {});
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;
  ~WebSocketClient();

  void send(const std::string& text);
  // The next text frame as JSON; throws if none arrives within `timeout_ms`, generous because
  // the server may share a loaded machine with a sanitized build.
  nlohmann::json receive_any(int timeout_ms = 20000);
  // The same, passing over the "line" frames that come before their turn's frame.
  nlohmann::json receive(int timeout_ms = 20000);

 private:
  struct Socket;
  std::unique_ptr<Socket> socket_;
};

}  // namespace requip::test

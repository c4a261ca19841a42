#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "server_context.hpp"

namespace requip::serve {

// Accepts connections and gives each its own HttpSession on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens now; throws std::runtime_error naming the address on failure.
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           ServerContext& context);

  void start();
  void stop();
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerContext& context_;
};

}  // namespace requip::serve

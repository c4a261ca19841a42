#include "listener.hpp"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "http_session.hpp"
#include "requip/core/detail/library_log.hpp"

namespace requip::serve {

namespace net = boost::asio;

Listener::Listener(net::io_context& io, const net::ip::tcp::endpoint& endpoint,
                   ServerContext& context)
    : io_(io), acceptor_(net::make_strand(io)), context_(context) {
  boost::system::error_code error;
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}; pick another --host or --port",
                    endpoint.address().to_string(), endpoint.port(), error.message()));
  }
}

void Listener::start() {
  accept();
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::accept() {
  acceptor_.async_accept(
      net::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code error, net::ip::tcp::socket socket) {
        if (error == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (error) {
          // Out of descriptors, say: this connection is lost, the next may be served.
          requip::detail::library_log().warn("accepting a connection failed: {}", error.message());
        } else {
          std::make_shared<HttpSession>(std::move(socket), self->context_)->start();
        }
        self->accept();
      });
}

}  // namespace requip::serve

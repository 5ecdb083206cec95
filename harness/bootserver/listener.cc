#include "harness/bootserver/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "harness/bootserver/http_session.h"
#include "harness/core/error.h"

namespace rh {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

}  // namespace

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerState> state, std::uint16_t port)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_(acceptor_.get_executor()),
      state_(std::move(state)) {
  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), port);
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw SetupError("boot server cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                     ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
}

void Listener::start() { accept(); }

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void Listener::accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (!ec) {
          std::make_shared<HttpSession>(std::move(socket), self->state_)->start();
          return self->accept();
        }
        // EMFILE and the like: retry shortly instead of spinning.
        self->retry_.expires_after(std::chrono::milliseconds(50));
        self->retry_.async_wait([self](boost::system::error_code wait_ec) {
          if (!wait_ec && self->acceptor_.is_open()) self->accept();
        });
      });
}

}  // namespace rh

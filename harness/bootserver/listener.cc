#include "harness/bootserver/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "harness/bootserver/bind_address.h"
#include "harness/bootserver/http_session.h"
#include "harness/core/error.h"

namespace rh {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  return ec ? "?" : format_host_port(peer.address(), peer.port());
}

}  // namespace

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerState> state,
                   const net::ip::address& address, std::uint16_t port)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_(acceptor_.get_executor()),
      state_(std::move(state)) {
  const tcp::endpoint endpoint(address, port);
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw SetupError("boot server cannot listen on " + format_host_port(address, port) + ": " +
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
          // Only this strand adds sessions, so the count cannot pass the cap
          // between this check and the session's start().
          if (self->state_->open_sessions() >= self->state_->limits.max_connections) {
            self->refuse(std::move(socket));
          } else {
            std::make_shared<HttpSession>(std::move(socket), self->state_)->start();
          }
          return self->accept();
        }
        // EMFILE and the like: retry shortly instead of spinning.
        self->retry_.expires_after(std::chrono::milliseconds(50));
        self->retry_.async_wait([self](boost::system::error_code wait_ec) {
          if (!wait_ec && self->acceptor_.is_open()) self->accept();
        });
      });
}

// A fresh socket's send buffer takes a short answer without blocking; if it
// does not, the client just sees the close.
void Listener::refuse(tcp::socket socket) {
  const auto now = std::chrono::steady_clock::now();
  const std::string detail =
      "over the cap of " + std::to_string(state_->limits.max_connections) + " open connections";
  const ResponsePlan plan = text_response(503, detail);
  const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nServer: romharness\r\n"
      "Content-Type: text/plain\r\nContent-Length: " +
      std::to_string(plan.length) + "\r\nConnection: close\r\n\r\n" + plan.body;
  const std::string client = peer_of(socket);
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  const std::size_t sent = socket.send(net::buffer(answer), 0, ec);
  // Counted and recorded before the close, so a client that has seen the
  // end of the connection finds the refusal in the stats and the log.
  state_->count(&ConnectionStats::refused);
  state_->log.add(RequestRecord{.start = now,
                                .end = now,
                                .method = "-",
                                .status = 503,
                                .bytes_sent = sent == answer.size() ? plan.length : 0,
                                .client = client,
                                .note = detail});
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

}  // namespace rh

// Internal: accepts connections on the bind address and hands each to an
// HttpSession, or, once max_connections are open, answers 503 and closes it
// at once (recorded in the request log and counted as refused).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "harness/bootserver/server_state.h"

namespace rh {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds `address`:`port` (0: any free port). Throws SetupError naming both.
  Listener(boost::asio::io_context& ioc, std::shared_ptr<ServerState> state,
           const boost::asio::ip::address& address, std::uint16_t port);
  std::uint16_t port() const { return port_; }
  void start();
  void close();  // any thread

 private:
  void accept();
  void refuse(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // after a failed accept (e.g. out of descriptors)
  std::shared_ptr<ServerState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace rh

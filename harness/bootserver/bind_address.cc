#include "harness/bootserver/bind_address.h"

#include "harness/core/error.h"

namespace rh {

boost::asio::ip::address parse_bind_address(const std::string& text, const std::string& what) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(text, ec);
  if (ec) {
    throw SetupError(what + " bind address '" + text + "' is not an IPv4 or IPv6 address");
  }
  return address;
}

std::string format_host_port(const boost::asio::ip::address& address, std::uint16_t port) {
  const std::string host = address.to_string();
  const std::string port_text = std::to_string(port);
  return address.is_v6() ? "[" + host + "]:" + port_text : host + ":" + port_text;
}

}  // namespace rh

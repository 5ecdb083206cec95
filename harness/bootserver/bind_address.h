// Where a server of the harness listens: an IPv4 or IPv6 literal from a
// config, parsed once with an error that names it, and the "host:port" text
// clients (and URLs) use for it.
//
//   auto address = parse_bind_address("::1", "boot server");  // throws SetupError if bad
//   format_host_port(address, 8080);  // "[::1]:8080"; "127.0.0.1:8080" for IPv4
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>

namespace rh {

// Throws SetupError "<what> bind address '<text>' is not an IPv4 or IPv6
// address" for anything but a literal (host names are refused: binding must
// not depend on a resolver).
boost::asio::ip::address parse_bind_address(const std::string& text, const std::string& what);

// "a.b.c.d:port", or "[v6]:port" as URLs need.
std::string format_host_port(const boost::asio::ip::address& address, std::uint16_t port);

}  // namespace rh

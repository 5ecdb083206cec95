#include "harness/bootserver/test_client.h"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace rh::testing {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

tcp::endpoint local(std::uint16_t port) { return {net::ip::make_address_v4("127.0.0.1"), port}; }

std::chrono::milliseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
}

}  // namespace

Response http_request(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& range) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(local(port));
  http::request<http::empty_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!range.empty()) req.set(http::field::range, range);
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(method == "HEAD");
  parser.body_limit(64ULL * 1024 * 1024);
  http::read(socket, buffer, parser);
  return parser.release();
}

std::string RawExchange::body() const {
  const std::size_t at = data.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : data.substr(at + 4);
}

bool wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(kReadDeadline);
  return ::poll(&p, 1, static_cast<int>(ms.count())) > 0;
}

RawExchange raw_exchange(std::uint16_t port, const std::string& request_text) {
  return raw_exchange_to("127.0.0.1", port, request_text);
}

RawExchange raw_exchange_to(const std::string& address, std::uint16_t port,
                            const std::string& request_text, bool half_close) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::make_address(address), port});
  net::write(socket, net::buffer(request_text));
  if (half_close) socket.shutdown(tcp::socket::shutdown_send);
  const auto sent = Clock::now();
  RawExchange out;
  char buf[16384];
  while (true) {
    if (!wait_readable(socket.native_handle())) {
      out.end = net::error::timed_out;
      break;
    }
    const std::size_t n = socket.read_some(net::buffer(buf), out.end);
    if (n > 0 && out.data.empty()) out.first_byte = since(sent);
    out.data.append(buf, n);
    if (out.end) break;
  }
  out.total = since(sent);
  return out;
}

}  // namespace rh::testing

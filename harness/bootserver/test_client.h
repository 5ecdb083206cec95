// Test-only HTTP clients for the boot server tests: a Beast client for whole
// responses (and keep-alive), and a raw socket exchange that shows exactly
// what arrived and how the connection ended (for truncate/reset faults).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "harness/core/testing/temp_dir.h"

namespace rh::testing {

using Response = boost::beast::http::response<boost::beast::http::string_body>;

// One request on a fresh connection; throws on transport errors.
Response http_request(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& range = {});

struct RawExchange {
  std::string data;                         // every byte received (head and body)
  boost::system::error_code end;            // how reading ended (eof, connection_reset, ...)
  std::chrono::milliseconds first_byte{0};  // request sent -> first byte received
  std::chrono::milliseconds total{0};       // request sent -> connection ended
  std::string body() const;                 // data after the blank line
};

// Sends `request_text` as is to 127.0.0.1 and reads until the server closes.
RawExchange raw_exchange(std::uint16_t port, const std::string& request_text);

// The same to `address`; with `half_close` the client then shuts down its
// sending side, as a client with nothing more to say may. A server that
// never closes ends the read after kReadDeadline with `end` = timed_out, so
// a broken server fails the test instead of hanging it.
inline constexpr std::chrono::seconds kReadDeadline{120};
RawExchange raw_exchange_to(const std::string& address, std::uint16_t port,
                            const std::string& request_text, bool half_close = false);

// Waits up to kReadDeadline for `fd` to be readable (data, EOF or error).
bool wait_readable(int fd);

}  // namespace rh::testing

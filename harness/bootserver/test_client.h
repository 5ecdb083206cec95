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

// Sends `request_text` as is and reads until the server closes.
RawExchange raw_exchange(std::uint16_t port, const std::string& request_text);

}  // namespace rh::testing

#include "harness/vm/emulator/guestrpc_log.h"

#include <charconv>
#include <sstream>

namespace rh {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string c_unescape(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] != '\\' || i + 1 == quoted.size()) {
      out += quoted[i];
      continue;
    }
    const char c = quoted[++i];
    if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == 'r') {
      out += '\r';
    } else if (c == 'x' && i + 2 < quoted.size() && hex_digit(quoted[i + 1]) >= 0 &&
               hex_digit(quoted[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(quoted[i + 1]) * 16 + hex_digit(quoted[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool parse_guestrpc_line(const std::string& line, std::chrono::steady_clock::time_point origin,
                         GuestRpcCall& out) {
  std::istringstream fields(line);
  std::string ns_text;
  std::string channel;
  if (!(fields >> ns_text >> channel >> out.kind) || !channel.starts_with("ch=")) return false;
  long long ns = 0;
  const auto [end, ec] = std::from_chars(ns_text.data(), ns_text.data() + ns_text.size(), ns);
  if (ec != std::errc() || end != ns_text.data() + ns_text.size()) return false;
  std::string rest;
  std::getline(fields, rest);
  const auto open = rest.find('"');
  const auto close = rest.rfind('"');
  out.text = open != std::string::npos && close > open
                 ? c_unescape(std::string_view(rest).substr(open + 1, close - open - 1))
                 : "";
  const auto origin_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(origin.time_since_epoch()).count();
  out.at_ms = static_cast<double>(ns - origin_ns) / 1e6;
  return true;
}

}  // namespace rh

#include "harness/runner/evidence.h"

#include <fstream>
#include <sstream>

namespace rh {

double ms_since(std::chrono::steady_clock::time_point origin,
                std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(t - origin).count();
}

namespace {

std::string c_unescape(const std::string& quoted) {
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
    } else if (c == 'x' && i + 2 < quoted.size()) {
      out += static_cast<char>(std::stoi(quoted.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<GuestRpcEvent> read_guestrpc_log(const std::filesystem::path& file,
                                             std::chrono::steady_clock::time_point origin) {
  std::vector<GuestRpcEvent> out;
  std::ifstream in(file);
  const auto origin_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(origin.time_since_epoch()).count();
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    long long ns = 0;
    std::string channel;
    GuestRpcEvent e;
    if (!(fields >> ns >> channel >> e.kind)) continue;
    std::string rest;
    std::getline(fields, rest);
    const auto open = rest.find('"');
    const auto close = rest.rfind('"');
    if (open != std::string::npos && close > open) {
      e.text = c_unescape(rest.substr(open + 1, close - open - 1));
    }
    e.at_ms = static_cast<double>(ns - origin_ns) / 1e6;
    out.push_back(std::move(e));
  }
  return out;
}

TimelineInputs timeline_inputs(const std::vector<TimedLine>& serial,
                               const std::vector<RequestRecord>& http,
                               const std::vector<GuestRpcEvent>& guestrpc,
                               std::chrono::steady_clock::time_point origin) {
  TimelineInputs in;
  for (const auto& line : serial) in.serial.push_back({line.at_ms, line.text});
  for (const auto& r : http) {
    in.http.push_back({ms_since(origin, r.start), ms_since(origin, r.end), r.method, r.path,
                       r.status, static_cast<long long>(r.bytes_sent)});
  }
  in.guestrpc = guestrpc;
  return in;
}

}  // namespace rh

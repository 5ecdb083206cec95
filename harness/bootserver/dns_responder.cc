#include "harness/bootserver/dns_responder.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/udp.hpp>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "harness/bootserver/bind_address.h"
#include "harness/core/error.h"

namespace rh {
namespace {

constexpr std::size_t kHeader = 12;
constexpr unsigned kTypeA = 1;
constexpr unsigned kClassIn = 1;
constexpr std::size_t kMaxLabels = 64;
constexpr std::size_t kMaxName = 255;  // RFC 1035 2.3.4, in wire octets

unsigned be16(const std::string& b, std::size_t at) {
  return static_cast<unsigned>(static_cast<unsigned char>(b[at])) << 8 |
         static_cast<unsigned char>(b[at + 1]);
}

void put16(std::string& b, unsigned v) {
  b += static_cast<char>(v >> 8);
  b += static_cast<char>(v & 0xff);
}

// One label's bytes in master-file form (RFC 1035 5.1), lower-cased: a dot
// or backslash inside a label becomes "\." or "\\", any other byte that is
// not printable "\DDD". So the text is unambiguous ("a.b" as one label never
// equals two labels a and b) and safe to write one name per line.
void append_label(std::string& name, std::string_view label) {
  for (const char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.' || c == '\\') {
      name += '\\';
      name += c;
    } else if (u <= 0x20 || u >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03u", static_cast<unsigned>(u));
      name += escaped;
    } else {
      name += static_cast<char>(std::tolower(u));
    }
  }
}

// The question's name and the offset just past it. The guest is untrusted:
// every length is checked and compression is not accepted in a question.
std::optional<std::pair<std::string, std::size_t>> read_name(const std::string& q) {
  std::string name;
  std::size_t at = kHeader;
  for (std::size_t labels = 0; labels < kMaxLabels; ++labels) {
    if (at >= q.size()) return std::nullopt;
    const std::size_t len = static_cast<unsigned char>(q[at++]);
    if (len == 0) return std::make_pair(name, at);
    if (len > 63 || at + len > q.size() || at + len - kHeader >= kMaxName) return std::nullopt;
    if (!name.empty()) name += '.';
    append_label(name, std::string_view(q).substr(at, len));
    at += len;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> dns_answer(const std::string& query,
                                      const std::map<std::string, std::string>& names,
                                      std::string* asked_name) {
  if (query.size() < kHeader || (static_cast<unsigned char>(query[2]) & 0xf8) != 0 ||
      be16(query, 4) != 1) {
    return std::nullopt;  // a response, not QUERY, or not exactly one question
  }
  const auto name = read_name(query);
  if (!name || name->second + 4 > query.size()) return std::nullopt;
  const auto [qname, end] = *name;
  if (asked_name != nullptr) *asked_name = qname;
  const unsigned qtype = be16(query, end);
  const unsigned qclass = be16(query, end + 2);
  const auto found = names.find(qname);
  in_addr addr{};
  const bool answer = found != names.end() && qtype == kTypeA && qclass == kClassIn &&
                      ::inet_pton(AF_INET, found->second.c_str(), &addr) == 1;
  std::string r = query.substr(0, 2);  // id
  const unsigned rd = static_cast<unsigned char>(query[2]) & 0x01;
  r += static_cast<char>(0x84 | rd);                           // QR, AA, RD copied
  r += static_cast<char>(found == names.end() ? 0x03 : 0x00);  // NXDOMAIN or NOERROR
  put16(r, 1);                                                 // one question
  put16(r, answer ? 1 : 0);
  put16(r, 0);
  put16(r, 0);
  r += query.substr(kHeader, end + 4 - kHeader);  // the question, as asked
  if (answer) {
    put16(r, 0xc000 | kHeader);  // name: pointer to the question
    put16(r, kTypeA);
    put16(r, kClassIn);
    r += std::string("\0\0\0\x3c", 4);  // TTL 60 s
    put16(r, 4);
    r.append(reinterpret_cast<const char*>(&addr.s_addr), 4);
  }
  return r;
}

DnsResponder::DnsResponder(const std::string& bind_address,
                           std::map<std::string, std::string> names, int port)
    : DnsResponder(DnsResponderConfig{.bind_address = bind_address,
                                      .port = static_cast<std::uint16_t>(port),
                                      .names = std::move(names)}) {}

DnsResponder::DnsResponder(const DnsResponderConfig& config) {
  for (const auto& [name, ip] : config.names) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    names_[lower] = ip;
  }
  const boost::asio::ip::udp::endpoint endpoint(
      parse_bind_address(config.bind_address, "DNS responder"), config.port);
  const std::string where = format_host_port(endpoint.address(), config.port);
  fd_ = ::socket(endpoint.protocol().family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::bind(fd_, endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0) {
    const std::string why = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    throw SetupError("cannot bind the DNS responder to " + where + ": " + why);
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &bound_len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  thread_ = std::thread([this] { serve(); });
}

DnsResponder::~DnsResponder() {
  stopping_ = true;
  thread_.join();
  ::close(fd_);
}

void DnsResponder::serve() {
  char buffer[1500];
  while (!stopping_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n =
        ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n <= 0) continue;
    std::string asked;
    const auto reply = dns_answer(std::string(buffer, static_cast<std::size_t>(n)), names_, &asked);
    if (!reply) continue;
    {
      std::lock_guard lock(mu_);
      queries_.push_back(asked);
    }
    ::sendto(fd_, reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

std::vector<std::string> DnsResponder::queries() const {
  std::lock_guard lock(mu_);
  return queries_;
}

}  // namespace rh

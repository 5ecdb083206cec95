#include "harness/bootserver/dns_responder.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/udp.hpp>
#include <optional>

#include "harness/bootserver/test_client.h"
#include "harness/core/error.h"

namespace rh {
namespace {

// A query for `name` type A, id 0x1234, recursion desired (as iPXE sends).
std::string query(const std::string& name, unsigned type = 1) {
  std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto dot = name.find('.', start);
    const std::string label =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    q += static_cast<char>(label.size());
    q += label;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  q += std::string("\0\0\0", 3);  // root label, then QTYPE
  q.back() = static_cast<char>(type);
  q += std::string("\0\x01", 2);
  return q;
}

const std::map<std::string, std::string> kNames{{"boot.example.test", "10.0.0.1"}};

TEST(DnsResponder, AnswersDeclaredNamesCaseInsensitively) {
  std::string asked;
  const auto r =
      dns_answer(query("Boot.Example.TEST"), {{"boot.example.test", "10.0.0.1"}}, &asked);
  ASSERT_TRUE(r);
  EXPECT_EQ(asked, "boot.example.test");
  EXPECT_EQ(r->substr(0, 2), "\x12\x34");
  EXPECT_EQ(static_cast<unsigned char>((*r)[3]) & 0x0f, 0) << "NOERROR";
  EXPECT_EQ((*r)[7], 1) << "one answer";
  EXPECT_EQ(r->substr(r->size() - 4), std::string("\x0a\x00\x00\x01", 4));
}

TEST(DnsResponder, UnknownNameIsNxdomainAndAaaaIsEmpty) {
  const auto nx = dns_answer(query("other.test"), kNames);
  ASSERT_TRUE(nx);
  EXPECT_EQ(static_cast<unsigned char>((*nx)[3]) & 0x0f, 3);
  const auto aaaa = dns_answer(query("boot.example.test", 28), kNames);
  ASSERT_TRUE(aaaa);
  EXPECT_EQ(static_cast<unsigned char>((*aaaa)[3]) & 0x0f, 0);
  EXPECT_EQ((*aaaa)[7], 0);
}

TEST(DnsResponder, MalformedQueriesAreDropped) {
  EXPECT_FALSE(dns_answer("short", kNames));
  std::string q = query("boot.example.test");
  q[12] = 60;  // label longer than the packet
  EXPECT_FALSE(dns_answer(q, kNames));
  std::string response = query("boot.example.test");
  response[2] = static_cast<char>(0x81);  // QR set: a response, not a query
  EXPECT_FALSE(dns_answer(response, kNames));
}

// Labels are raw bytes: a dot or a newline inside one must neither match a
// declared name nor forge a line in the query log.
TEST(DnsResponder, OddLabelBytesAreEscapedNotMatched) {
  // "boot.example" as one label, then "test".
  std::string joined("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  joined +=
      std::string("\x0c") + "boot.example" + "\x04" + "test" + std::string("\0\0\x01\0\x01", 5);
  std::string asked;
  const auto r = dns_answer(joined, kNames, &asked);
  ASSERT_TRUE(r);
  EXPECT_EQ(asked, "boot\\.example.test");
  EXPECT_EQ(static_cast<unsigned char>((*r)[3]) & 0x0f, 3) << "NXDOMAIN, not the declared name";
  std::string forged("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  forged += std::string("\x03") + "a\nB" + std::string("\0\0\x01\0\x01", 5);
  ASSERT_TRUE(dns_answer(forged, kNames, &asked));
  EXPECT_EQ(asked, "a\\010b");
}

TEST(DnsResponder, NamesOverRfc1035LengthAreDropped) {
  std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  for (int i = 0; i < 5; ++i) q += static_cast<char>(63) + std::string(63, 'a');  // 320 octets
  q += std::string("\0\0\x01\0\x01", 5);
  EXPECT_FALSE(dns_answer(q, kNames));
}

// Sends `q` to address:port over UDP; the reply, or "" after a generous wait.
std::string exchange(const std::string& address, int port, const std::string& q) {
  const auto to = boost::asio::ip::udp::endpoint(boost::asio::ip::make_address(address),
                                                 static_cast<std::uint16_t>(port));
  const int fd = ::socket(to.protocol().family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::string reply;
  if (::sendto(fd, q.data(), q.size(), 0, to.data(), static_cast<socklen_t>(to.size())) ==
          static_cast<ssize_t>(q.size()) &&
      testing::wait_readable(fd)) {
    char buffer[1500];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) reply.assign(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

const std::string kAnswer("\x0a\x00\x00\x01", 4);

TEST(DnsResponder, ServesOverUdpOnLoopbackByDefault) {
  DnsResponder dns({.port = 0, .names = kNames});
  ASSERT_NE(dns.port(), 0);
  const std::string reply = exchange("127.0.0.1", dns.port(), query("boot.example.test"));
  ASSERT_GE(reply.size(), 4u);
  EXPECT_EQ(reply.substr(reply.size() - 4), kAnswer);
  EXPECT_EQ(dns.queries(), std::vector<std::string>{"boot.example.test"});
}

TEST(DnsResponder, BindsTheAddressItIsGiven) {
  DnsResponder other("127.77.0.9", kNames, 0);  // the runner's form
  const std::string reply = exchange("127.77.0.9", other.port(), query("boot.example.test"));
  ASSERT_GE(reply.size(), 4u);
  EXPECT_EQ(reply.substr(reply.size() - 4), kAnswer);
  DnsResponder second({.bind_address = "127.0.0.2", .port = 0, .names = kNames});
  EXPECT_EQ(exchange("127.0.0.2", second.port(), query("nope.test")).at(3) & 0x0f, 3);
}

TEST(DnsResponder, BindsIpv6Loopback) {
  std::optional<DnsResponder> dns;
  try {
    dns.emplace(DnsResponderConfig{.bind_address = "::1", .port = 0, .names = kNames});
  } catch (const SetupError& e) {
    GTEST_SKIP() << "UNSUPPORTED: no IPv6 loopback here: " << e.what();
  }
  const std::string reply = exchange("::1", dns->port(), query("boot.example.test"));
  ASSERT_GE(reply.size(), 4u);
  EXPECT_EQ(reply.substr(reply.size() - 4), kAnswer);
}

std::string setup_error(const DnsResponderConfig& config) {
  try {
    DnsResponder dns(config);
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DnsResponder, BadOrForeignAddressIsAClearError) {
  EXPECT_EQ(setup_error({.bind_address = "192.0.2.1", .port = 15354}),
            "cannot bind the DNS responder to 192.0.2.1:15354: Cannot assign requested address");
  EXPECT_EQ(setup_error({.bind_address = "dns.example.test"}),
            "DNS responder bind address 'dns.example.test' is not an IPv4 or IPv6 address");
}

}  // namespace
}  // namespace rh

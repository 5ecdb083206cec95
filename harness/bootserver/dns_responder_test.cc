#include "harness/bootserver/dns_responder.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

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

TEST(DnsResponder, ServesOverUdpOnLoopback) {
  DnsResponder dns("127.77.0.9", kNames, 15353);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(15353);
  ::inet_pton(AF_INET, "127.77.0.9", &to.sin_addr);
  const std::string q = query("boot.example.test");
  ASSERT_EQ(::sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(q.size()));
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buffer[512];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer + n - 4, 4), std::string("\x0a\x00\x00\x01", 4));
  EXPECT_EQ(dns.queries(), std::vector<std::string>{"boot.example.test"});
}

TEST(DnsResponder, RefusesNonLoopback) {
  EXPECT_THROW(DnsResponder("10.0.0.1", kNames, 15354), SetupError);
}

}  // namespace
}  // namespace rh

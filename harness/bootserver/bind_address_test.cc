#include "harness/bootserver/bind_address.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

TEST(BindAddress, ParsesLiteralsAndFormatsHostPort) {
  EXPECT_EQ(format_host_port(parse_bind_address("127.0.0.2", "x"), 80), "127.0.0.2:80");
  EXPECT_EQ(format_host_port(parse_bind_address("::1", "x"), 8080), "[::1]:8080");
  EXPECT_EQ(format_host_port(parse_bind_address("0:0::1", "x"), 1), "[::1]:1");
  EXPECT_EQ(format_host_port(parse_bind_address("0.0.0.0", "x"), 0), "0.0.0.0:0");
}

TEST(BindAddress, RefusesNamesAndJunkNamingThem) {
  try {
    parse_bind_address("boot.example.test", "DNS responder");
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_STREQ(e.what(),
                 "DNS responder bind address 'boot.example.test' is not an IPv4 or IPv6 address");
  }
  EXPECT_THROW(parse_bind_address("1.2.3", "x"), SetupError);
  EXPECT_THROW(parse_bind_address("[::1]", "x"), SetupError);
}

}  // namespace
}  // namespace rh

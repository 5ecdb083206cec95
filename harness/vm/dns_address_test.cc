#include "harness/vm/dns_address.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(DnsResponderAddress, EachProcessHasABlockOfItsOwn) {
  EXPECT_EQ(dns_responder_address(0, 0), "127.64.0.2");
  EXPECT_EQ(dns_responder_address(12345, 0), "127.112.57.2");  // 12345 = 0x3039
  EXPECT_NE(dns_responder_address(12345, 0), dns_responder_address(12346, 0));
  EXPECT_EQ(dns_responder_address(12345 + 16384, 7), dns_responder_address(12345, 7));
}

TEST(DnsResponderAddress, CyclesThroughTheBlockAwayFromTheUsualLoopbackAddresses) {
  EXPECT_EQ(dns_responder_address(1, 249), "127.64.1.251");
  EXPECT_EQ(dns_responder_address(1, 250), "127.64.1.2");
  EXPECT_EQ(dns_responder_address(0x3fff, 0), "127.127.255.2");
}

}  // namespace
}  // namespace rh

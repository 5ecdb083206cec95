#include "harness/scenario/static_net.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(StaticNet, GlobalKeysAndDefaultNetmask) {
  const StaticNet n =
      derive_static_net({{"ipxe.ip", "192.168.5.20"}, {"ipxe.gateway", "192.168.5.1"}}, {});
  EXPECT_EQ(n.subnet, "192.168.5.0/24");
  EXPECT_EQ(n.dns, "192.168.5.3");
}

TEST(StaticNet, OverridesDescribeTheRealNetwork) {
  const StaticNet n = derive_static_net({{"ipxe.net0.ip", "not-an-ip"}, {"ipxe.dns", "8.8.8.8"}},
                                        {.subnet = "10.0.0.0/24", .gateway = "10.0.0.1"});
  EXPECT_EQ(n.gateway, "10.0.0.1");
  EXPECT_EQ(n.dns, "10.0.0.3") << "a DNS outside the subnet stays unreachable";
}

TEST(StaticNet, Errors) {
  EXPECT_THROW(derive_static_net({{"ipxe.net0.ip", "10.0.0.10"}}, {}), std::invalid_argument);
  EXPECT_THROW(
      derive_static_net({{"ipxe.net0.ip", "10.0.0.10"}, {"ipxe.net0.gateway", "10.1.0.1"}}, {}),
      std::invalid_argument);
  EXPECT_THROW(derive_static_net({{"ipxe.net0.ip", "10.0.0.10"},
                                  {"ipxe.net0.netmask", "255.0.255.0"},
                                  {"ipxe.net0.gateway", "10.0.0.1"}},
                                 {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace rh

#include "harness/core/guestinfo_limits.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rh {
namespace {

TEST(GuestinfoLimits, ConstantsFollowTheGuestRpcMessageLimit) {
  EXPECT_EQ(kGuestRpcMaxGuestMessage, 65536u);
  EXPECT_EQ(kGuestinfoMaxKeyLength, 65517u);
  EXPECT_EQ(std::string(kGuestinfoGetCommand).size() + kGuestinfoMaxKeyLength, 65536u);
  EXPECT_EQ(kGuestinfoMaxValueBytes, 65536u);
  EXPECT_EQ(kGuestinfoMaxTotalBytes, 1048576u);
}

TEST(GuestinfoLimits, UsualKeysAndValuesAtTheLimitsPass) {
  EXPECT_EQ(guestinfo_limit_error("ipxe.net0.ip", "10.0.0.10"), std::nullopt);
  EXPECT_EQ(guestinfo_limit_error("ipxe.scriptlet", ""), std::nullopt);
  EXPECT_EQ(guestinfo_limit_error(std::string(kGuestinfoMaxKeyLength, 'k'), "v"), std::nullopt);
  EXPECT_EQ(guestinfo_limit_error("userdata", std::string(kGuestinfoMaxValueBytes, 'u')),
            std::nullopt);
  const std::string binary("\0\xff\n\"", 4);  // values are bytes; only keys are restricted
  EXPECT_EQ(guestinfo_limit_error("metadata", binary), std::nullopt);
}

TEST(GuestinfoLimits, KeyOneCharacterTooLongNamesTheKeyAndTheSizes) {
  EXPECT_EQ(guestinfo_limit_error(std::string(65518, 'x'), "v"),
            "guestinfo key 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 65518 characters; "
            "ESXi allows at most 65517 (a guest names it in one GuestRPC message, "
            "'info-get guestinfo.<key>', of at most 65536 bytes)");
}

TEST(GuestinfoLimits, ValueOneByteTooLarge) {
  EXPECT_EQ(guestinfo_limit_error("userdata", std::string(65537, 'u')),
            "guestinfo key 'userdata' has a value of 65537 bytes; ESXi allows at most 65536 per "
            "value (VMware Tools' 64 KiB GuestRPC message limit)");
}

TEST(GuestinfoLimits, EmptyKeyAndKeysWithSpacesOrControlBytes) {
  EXPECT_EQ(guestinfo_limit_error("", "v"), "guestinfo key is empty");
  EXPECT_EQ(guestinfo_limit_error("ipxe net0", "v"),
            "guestinfo key 'ipxe net0' has byte 0x20 at offset 4; ESXi keys hold no whitespace "
            "or control characters (a guest's info-set ends the key at the first space)");
  EXPECT_EQ(guestinfo_limit_error(std::string("a\nb", 3), "v"),
            "guestinfo key 'a\\x0ab' has byte 0x0a at offset 1; ESXi keys hold no whitespace or "
            "control characters (a guest's info-set ends the key at the first space)");
  EXPECT_NE(guestinfo_limit_error(std::string("a\0", 2), "v"), std::nullopt);
  EXPECT_NE(guestinfo_limit_error("a\x7f", "v"), std::nullopt);
}

TEST(GuestinfoLimits, TotalCountsPrefixKeyAndValueOfEveryEntry) {
  std::map<std::string, std::string> guestinfo;
  EXPECT_EQ(guestinfo_total_error(guestinfo), std::nullopt);
  // 16 values of 64 KiB = 1 MiB, plus 16 x ("guestinfo." + 3-byte key) = 208 bytes over.
  for (int i = 10; i < 26; i++) {
    guestinfo["k" + std::to_string(i)] = std::string(kGuestinfoMaxValueBytes, 'v');
  }
  EXPECT_EQ(guestinfo_total_error(guestinfo),
            "guestinfo totals 1048784 bytes in 16 keys; ESXi's .vmx file holds at most 1048576 "
            "by default (tools.setInfo.sizeLimit)");
  for (auto& [key, value] : guestinfo) value.resize(value.size() - 13);
  EXPECT_EQ(guestinfo_total_error(guestinfo), std::nullopt);  // 1048784 - 208 = 1048576
}

}  // namespace
}  // namespace rh

#include "harness/vm/vsphere/vmware_log.h"

#include <gtest/gtest.h>

namespace rh::vsphere {
namespace {

TEST(VmwareLog, GuestLinesInEitherTimestampStyle) {
  std::string log =
      "2024-01-10T10:00:00.100Z In(05) vmx - PowerOn\n"
      "2024-01-10T10:00:01.123Z In(05) vcpu-0 - Guest: iPXE 1.21.1 -- Open Source\r\n"
      "2019-05-06T12:00:00.000Z| vcpu-0| I125: Guest: net0: 00:0c:29:aa:bb:cc\n"
      "vmx 2024/01/10 created\n"
      "2024-01-10T10:00:02.000Z In(05) vcpu-0 - Guest: last line without newline";
  EXPECT_EQ(guest_log_lines(log),
            (std::vector<std::string>{"iPXE 1.21.1 -- Open Source", "net0: 00:0c:29:aa:bb:cc",
                                      "last line without newline"}));
  EXPECT_TRUE(guest_log_lines("").empty());
}

}  // namespace
}  // namespace rh::vsphere

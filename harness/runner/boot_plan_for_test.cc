#include "harness/runner/boot_plan_for.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(BootPlanFor, TheScenariosMacReachesThePlan) {
  Scenario s;
  s.name = "field/vm/vmxnet3-bios";
  s.nic = "vmxnet3";
  s.mac = "00:50:56:3f:00:07";
  EXPECT_EQ(plan_for(s, "/roms/x.rom", "/tmp/a").mac, "00:50:56:3f:00:07");
  s.mac.clear();
  EXPECT_EQ(plan_for(s, "/roms/x.rom", "/tmp/a").mac, "");  // the backend's default
}

}  // namespace
}  // namespace rh

#include "harness/rom/budget.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/core/error.h"
#include "harness/rom/rom_test_util.h"

namespace rh {
namespace {

using testing::debian_rom;
using ::testing::ElementsAre;
using testing::make_image;

OptionRom synthetic(const testing::Bytes& bytes, const std::string& name) {
  return parse_option_rom(bytes, name);
}

TEST(BudgetTest, SizeOverAndUnder) {
  EXPECT_EQ(check_size("x.rom", 67072, 64512, "opromsize", "opromsize").message,
            "ROM 'x.rom' is 67072 bytes, 2560 over opromsize 64512");
  const BudgetCheck ok = check_size("x.rom", 60000, 65536, "budget", "budget");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.message, "ROM 'x.rom' is 60000 bytes, 5536 under budget 65536");
}

TEST(BudgetTest, DebianVmxnet3RomOverLegacySpaceAndBudget) {
  const OptionRom rom = read_option_rom(debian_rom("pxe-vmxnet3.rom"));
  const BudgetReport r =
      check_rom(rom, {.budget = 65536, .opromsize = 262144, .firmware = "bios", .nic = "vmxnet3"});
  EXPECT_FALSE(r.ok());
  const std::string name = "ROM '" + debian_rom("pxe-vmxnet3.rom") + "'";
  EXPECT_THAT(r.failures(),
              ElementsAre(name + " is 74240 bytes, 8704 over budget 65536",
                          name + " shadows 74240 bytes at BIOS POST, 8704 over the 65536 bytes of "
                                 "legacy option ROM space"));
  EXPECT_EQ(r.first_failure(), name + " is 74240 bytes, 8704 over budget 65536");
  ASSERT_EQ(r.checks.size(), 4u);
  EXPECT_EQ(r.checks[1].kind, "opromsize");
  EXPECT_TRUE(r.checks[1].ok);
  EXPECT_EQ(r.checks[3].message, name +
                                     " x86 BIOS image is for PCI id 15ad:07b0 and matches NIC "
                                     "'vmxnet3' (15ad:07b0)");
}

TEST(BudgetTest, NicMismatch) {
  const OptionRom rom = read_option_rom(debian_rom("pxe-e1000.rom"));
  const BudgetReport r = check_rom(rom, {.firmware = "bios", .nic = "e1000-82545em"});
  EXPECT_THAT(r.failures(),
              ElementsAre(::testing::_,
                          "ROM '" + debian_rom("pxe-e1000.rom") +
                              "' x86 BIOS image is for PCI id 8086:100e but NIC 'e1000-82545em' "
                              "is 8086:100f; the firmware will not load it"));
}

TEST(BudgetTest, EfiFirmwareChecksTheEfiImage) {
  const OptionRom bios_only = read_option_rom(debian_rom("pxe-e1000e.rom"));
  EXPECT_EQ(
      check_nic(bios_only, "e1000e", "efi").message,
      "ROM '" + debian_rom("pxe-e1000e.rom") + "' has no EFI image; UEFI firmware will not run it");
  const OptionRom both = read_option_rom(debian_rom("efi-e1000e.rom"));
  const BudgetReport r = check_rom(both, {.opromsize = 262144, .firmware = "efi", .nic = "e1000e"});
  EXPECT_TRUE(r.ok()) << r.first_failure();
  EXPECT_EQ(r.checks.size(), 2u);  // no legacy-space check under UEFI
}

TEST(BudgetTest, MromShadowsOnlyItsPrefix) {
  // A 75 KiB .mrom: the BIOS shadows the 2 KiB prefix, the BAR holds it all.
  const auto bytes = testing::concat(
      make_image({.vendor = 0x8086, .device = 0x100f, .blocks = 4, .last = false, .build_id = 7}),
      make_image(
          {.vendor = 0x8086, .device = 0x100f, .code_type = 0xff, .blocks = 146, .build_id = 7}));
  const OptionRom rom = synthetic(bytes, "e1000.mrom");
  const BudgetReport r =
      check_rom(rom, {.opromsize = 65536, .firmware = "bios", .nic = "e1000-82545em"});
  EXPECT_THAT(r.failures(), ElementsAre("ROM 'e1000.mrom' is 76800 bytes, 11264 over opromsize "
                                        "65536"));
  EXPECT_EQ(r.checks[1].message,
            "ROM 'e1000.mrom' shadows 2048 bytes at BIOS POST, 63488 under "
            "the 65536 bytes of legacy option ROM space");
}

TEST(BudgetTest, UnknownNic) {
  try {
    nic_named("rtl8139");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown NIC model 'rtl8139' (known: vmxnet3, e1000, e1000-82545em, "
                 "e1000e)");
  }
}

}  // namespace
}  // namespace rh

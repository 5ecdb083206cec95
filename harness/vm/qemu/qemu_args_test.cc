// Golden files for the QEMU command lines we generate. To accept a deliberate
// change: RH_UPDATE_GOLDEN=1 ./vm_test, then review the diff.
#include "harness/vm/qemu/qemu_args.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rh {
namespace {
namespace fs = std::filesystem;

const fs::path kGolden = fs::path(RH_SOURCE_DIR) / "harness/vm/qemu/testdata";

QemuSetup fixed_setup() {
  return {.binary = "/usr/bin/qemu-system-x86_64",
          .firmware_dirs = {},
          .accel = "tcg",
          .guestrpc = false,
          .ovmf_code = "/usr/share/ovmf/OVMF.fd",
          .sercon_port_file = "/run/rh/sercon-port.bin"};
}

QemuPaths fixed_paths() { return QemuPaths::in("/reports/r1/s1", "/tmp/rh-sock"); }

void expect_golden(const std::string& name, const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += arg + "\n";
  const fs::path file = kGolden / (name + ".argv");
  if (std::getenv("RH_UPDATE_GOLDEN") != nullptr) std::ofstream(file) << text;
  std::ifstream in(file);
  ASSERT_TRUE(in) << "missing golden file " << file << " (run with RH_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(text, expected.str()) << "golden file " << file;
}

TEST(QemuArgs, DhcpBiosBoot) {
  BootPlan c{.name = "smoke/dhcp-linux/vmxnet3-bios",
             .nic = "vmxnet3",
             .rom = "/usr/lib/ipxe/qemu/pxe-vmxnet3.rom",
             .network = {.boot_url = "http://10.0.2.2:40000/boot.ipxe"}};
  expect_golden("dhcp-bios", build_qemu_argv(fixed_setup(), c, fixed_paths()));
}

TEST(QemuArgs, EfiWithRomSize) {
  BootPlan c{.name = "smoke/dhcp-linux/vmxnet3-efi",
             .nic = "vmxnet3",
             .firmware = Firmware::kEfi,
             .machine = "q35",
             .memory_mb = 512,
             .rom = "/roms/efi,vmxnet3.rom",
             .romsize = 262144,
             .network = {.boot_url = "http://10.0.2.2:40000/boot.ipxe"}};
  expect_golden("efi-romsize", build_qemu_argv(fixed_setup(), c, fixed_paths()));
}

TEST(QemuArgs, StaticGuestinfoBoot) {
  QemuSetup setup = fixed_setup();
  setup.binary = "/cache/qemu/current/bin/qemu-system-x86_64";
  setup.firmware_dirs = {"/usr/share/seabios", "/usr/share/qemu"};
  setup.guestrpc = true;
  BootPlan c{.name = "guestinfo/static/vmxnet3-bios",
             .nic = "vmxnet3",
             .rom = "/roms/15ad07b0.rom",
             .guestinfo = {{"ipxe.net0.ip", "10.0.0.10"},
                           {"ipxe.scriptlet", "chain http://10.0.0.1:4000/boot.ipxe"}},
             .network = {.mode = NetworkMode::kStatic,
                         .subnet = "10.0.0.0/24",
                         .gateway = "10.0.0.1",
                         .dns = "10.0.0.200"}};
  expect_golden("static-guestinfo", build_qemu_argv(setup, c, fixed_paths()));
}

TEST(QemuArgs, DirectKernelBootWithoutRom) {
  BootPlan c{.name = "probe",
             .nic = "e1000",
             .network = {.mode = NetworkMode::kNone},
             .direct = {.kernel = "/build/probe.elf", .append = "key=value"}};
  expect_golden("direct-kernel", build_qemu_argv(fixed_setup(), c, fixed_paths()));
}

TEST(QemuArgs, AsRootQemuDropsToAnUnprivilegedUser) {
  QemuSetup setup = fixed_setup();
  setup.run_as = "nobody";
  const BootPlan c{.name = "t", .nic = "e1000", .rom = "/roms/e1000.rom"};
  const auto argv = build_qemu_argv(setup, c, fixed_paths());
  const auto at = std::find(argv.begin(), argv.end(), "-sandbox");
  ASSERT_NE(at, argv.end());
  EXPECT_EQ(*(at + 1), "on,obsolete=deny,spawn=deny,resourcecontrol=deny")
      << "-runas needs setuid, which elevateprivileges=deny forbids";
  EXPECT_EQ(*(at + 2), "-runas");
  EXPECT_EQ(*(at + 3), "nobody");
}

}  // namespace
}  // namespace rh

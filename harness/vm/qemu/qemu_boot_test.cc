// Real boots under TCG with Debian's QEMU, SeaBIOS and prebuilt iPXE ROMs.
#include <gtest/gtest.h>

#include <fstream>

#include "harness/core/error.h"
#include "harness/evidence/pcap.h"
#include "harness/vm/qemu/accel_probe.h"
#include "harness/vm/qemu/qemu_backend.h"
#include "harness/vm/qemu/qemu_session.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kRom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

class QemuBootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kRom) || !fs::exists("/usr/bin/qemu-system-x86_64")) {
      GTEST_SKIP() << "needs qemu-system-x86 and ipxe-qemu (ci/setup installs them)";
    }
    dir_ = fs::temp_directory_path() /
           ("rh-boot-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    setup_ = locate_qemu({.qemu = "/usr/bin/qemu-system-x86_64", .work_dir = dir_});
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool wait_for_line(VmSession& vm, const std::string& needle, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t seen = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& line : vm.console().lines_from(seen)) {
        if (line.text.find(needle) != std::string::npos) return true;
      }
      seen = vm.console().line_count();
      vm.console().wait_for_more(seen, std::chrono::steady_clock::now() + 200ms);
    }
    return false;
  }

  fs::path dir_;
  QemuSetup setup_;
};

TEST_F(QemuBootTest, IpxeRomRunsDhcpsAndIsStopped) {
  BootPlan c{.name = "t", .nic = "e1000", .rom = kRom, .artifacts_dir = dir_ / "vm"};
  auto vm = QemuSession::start(setup_, c, {});
  EXPECT_TRUE(wait_for_line(*vm, "SeaBIOS", 20s));
  EXPECT_TRUE(wait_for_line(*vm, "Configuring (net0", 30s)) << "iPXE never tried DHCP";
  const std::string status = vm->stop();
  EXPECT_EQ(status, "exit status 0") << "QMP quit should end QEMU cleanly";
  EXPECT_TRUE(fs::exists(dir_ / "vm/qemu.argv"));
  EXPECT_GT(fs::file_size(dir_ / "vm/serial.log"), 0u);
  EXPECT_GE(summarise_capture(dir_ / "vm/capture.pcap").dhcp_client_packets, 1u);
}

TEST_F(QemuBootTest, QemuThatCannotStartIsReportedWithItsStderr) {
  BootPlan c{
      .name = "t", .nic = "e1000", .rom = "/nonexistent/rom.bin", .artifacts_dir = dir_ / "vm"};
  try {
    QemuSession::start(setup_, c, {});
    FAIL() << "QEMU started with a missing ROM";
  } catch (const SetupError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(msg.starts_with("QEMU exited immediately (exit status 1): ")) << msg << "|";
    EXPECT_NE(msg.find("/nonexistent/rom.bin"), std::string::npos) << msg;
  }
}

// The probe's answer must be an accelerator iPXE really runs under here,
// and a second probe must come from the cache.
TEST_F(QemuBootTest, TheAcceleratorTheProbePicksRunsIpxe) {
  const auto [accel, reason] = probe_accel(setup_, dir_);
  ASSERT_TRUE(accel == "tcg" || accel == "kvm") << accel;
  if (!std::filesystem::exists("/dev/kvm")) {
    EXPECT_EQ(accel, "tcg") << reason;
  }
  QemuSetup picked = setup_;
  picked.accel = accel;
  auto vm = QemuSession::start(
      picked, {.name = "t", .nic = "e1000", .rom = kRom, .artifacts_dir = dir_ / "vm"}, {});
  EXPECT_TRUE(wait_for_line(*vm, "Configuring (net0", 60s))
      << "iPXE did not get going under " << accel << " (" << reason << ")";
  vm->stop();
  const auto again = probe_accel(setup_, dir_);
  EXPECT_EQ(again.first, accel);
  if (std::filesystem::exists("/dev/kvm") && reason.find("cannot be opened") == std::string::npos) {
    EXPECT_NE(again.second.find("(cached probe)"), std::string::npos) << again.second;
  }
}

}  // namespace
}  // namespace rh

#include "harness/vm/qemu/qemu_events.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(QemuEvents, QmpEventsBecomePowerStates) {
  const auto shutdown =
      vm_event_from_qmp("SHUTDOWN", {{"guest", true}, {"reason", "guest-reset"}}, 8);
  ASSERT_TRUE(shutdown);
  EXPECT_EQ(shutdown->kind, VmEvent::Kind::kPower);
  EXPECT_EQ(shutdown->name, "shutdown");
  EXPECT_EQ(shutdown->text, "guest-reset");
  EXPECT_EQ(shutdown->at_ms, 8);
  EXPECT_EQ(vm_event_from_qmp("STOP", nullptr, 1)->name, "paused");
  EXPECT_EQ(vm_event_from_qmp("GUEST_PANICKED", {{"action", "pause"}}, 1)->name, "crashed");
  EXPECT_FALSE(vm_event_from_qmp("NIC_RX_FILTER_CHANGED", nullptr, 1));
  EXPECT_EQ(vm_event_from_qmp("SHUTDOWN", "not an object", 1)->text, "") << "untrusted shape";
}

TEST(QemuEvents, StderrNamesEmulatorFailures) {
  auto kvm = vm_events_from_stderr("KVM internal error. Suberror: 1", 5);
  ASSERT_EQ(kvm.size(), 2u);
  EXPECT_EQ(kvm[0].kind, VmEvent::Kind::kStderr);
  EXPECT_EQ(kvm[1].kind, VmEvent::Kind::kEmulatorError);
  EXPECT_EQ(kvm[1].name, "infrastructure");
  auto rom = vm_events_from_stderr(
      "qemu-system-x86_64: romfile \"x.rom\" (72704 bytes) is too large for ROM size 65536", 5);
  ASSERT_EQ(rom.size(), 2u);
  EXPECT_EQ(rom[1].name, "rom");
  EXPECT_EQ(vm_events_from_stderr("harmless warning", 5).size(), 1u);
}

TEST(QemuEvents, InternalErrorStatusIsAnEmulatorFailure) {
  const auto e = vm_event_from_status("internal-error", 42);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "infrastructure");
  EXPECT_EQ(e->text, "the emulator stopped the VM (QMP status internal-error)");
  EXPECT_FALSE(vm_event_from_status("running", 1));
  EXPECT_FALSE(vm_event_from_status("paused", 1));
}

}  // namespace
}  // namespace rh

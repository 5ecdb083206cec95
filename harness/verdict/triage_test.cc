#include "harness/verdict/triage.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/console/console_decoder.h"
#include "harness/field/ipxe_error.h"

namespace rh {
namespace {

BootEvidence console(const std::vector<std::string>& lines) {
  BootEvidence e;
  double at = 0;
  for (const auto& l : lines) {
    const std::string text = clean_console_line(l);
    if (!text.empty()) e.console.push_back({at += 10, text});
  }
  return e;
}

// A boot log captured with field/testdata/capture.sh, decoded as the runner does.
BootEvidence captured(const std::string& name) {
  std::ifstream in(RH_SOURCE_DIR "/harness/field/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BootEvidence e;
  for (const auto& line : console_lines(raw, 80)) e.console.push_back({0, line});
  return e;
}

FailureInfo classify(const BootEvidence& e, const FailureContext& c = {}) {
  return triage(e, c).failure;
}

TEST(Triage, IpxeErrorInTheTail) {
  Triage t =
      triage(console({"http://10.0.2.2:18082/missing.ipxe... No such file or directory "
                      "(http://ipxe.org/2d0c613b)"}));
  EXPECT_EQ(t.failure.category, "configuration");
  EXPECT_EQ(t.failure.ipxe_error, "0x2d0c613b");
  EXPECT_EQ(t.failure.ipxe_message, decode_ipxe_error(0x2d0c613b).message());
  EXPECT_EQ(t.reason, "iPXE error 0x2d0c613b: " + decode_ipxe_error(0x2d0c613b).message() +
                          "; the boot server refused or failed the request");
}

TEST(Triage, LastErrorWinsAndCategoriesFollowTheFile) {
  EXPECT_EQ(classify(captured("ipxe-debian-20190125-vmxnet3-bios.log")).ipxe_error, "0x0212603c");
  EXPECT_EQ(classify(console({"x (https://ipxe.org/43892301)"})).category,
            "infrastructure");                                                      // guestrpc
  EXPECT_EQ(classify(console({"x (https://ipxe.org/1c614001)"})).category, "rom");  // vmxnet3
  EXPECT_EQ(classify(console({"x (https://ipxe.org/31012006)"})).category, "rom");  // no memory
  EXPECT_EQ(classify(console({"x (https://ipxe.org/3c092003)"})).category, "configuration");
}

TEST(Triage, FromTheRunnersContext) {
  EXPECT_EQ(triage(console({"SeaBIOS"}), {.harness_error = "cannot bind 127.0.0.1:0"}).reason,
            "harness: cannot bind 127.0.0.1:0");
  Triage big = triage(console({"SeaBIOS (version 1.16.2)", "No bootable device."}),
                      {.rom_size_bytes = 72704, .opromsize_bytes = 58880});
  EXPECT_EQ(big.failure.category, "rom");
  EXPECT_EQ(big.reason, "ROM is 72704 bytes, larger than opromsize 58880");
  Triage ids = triage(console({"SeaBIOS"}), {.rom_ids_match_nic = false});
  EXPECT_EQ(ids.reason, "the ROM's PCI ids do not match the NIC; the firmware skips it");
}

TEST(Triage, AVmThatDiedWithoutItsGuestAskingIsInfrastructure) {
  BootEvidence e = console({"iPXE 1.21"});
  e.events.push_back({.kind = VmEvent::Kind::kStderr, .text = "qemu: fatal: oops"});
  EXPECT_EQ(triage(e, {.vm_exited_early = true}).reason,
            "the VM process exited before the boot finished: qemu: fatal: oops");
  e.events.push_back({.kind = VmEvent::Kind::kPower, .name = "shutdown", .text = "guest-shutdown"});
  EXPECT_EQ(classify(e, {.vm_exited_early = true}).category, "configuration")
      << "the guest powered off: the console decides";
}

TEST(Triage, EmulatorErrorsAndLostHostsComeFromEvents) {
  BootEvidence e = console({"iPXE 1.21"});
  e.events.push_back({.kind = VmEvent::Kind::kEmulatorError,
                      .name = "rom",
                      .text = "the hypervisor refused the ROM: larger than the NIC's ROM size"});
  EXPECT_EQ(classify(e).category, "rom");
  e.events.push_back(
      {.kind = VmEvent::Kind::kHostLost, .text = "qemu+unix:///system: connection closed"});
  Triage lost = triage(e);
  EXPECT_EQ(lost.failure.category, "infrastructure");
  EXPECT_EQ(lost.reason, "the VM's host stopped answering: qemu+unix:///system: connection closed");
}

TEST(Triage, AFloodedConsoleIsNamed) {
  BootEvidence e = console({"iPXE 1.21"});
  e.console_flooded = "the guest flooded its console: more than 1000 bytes";
  EXPECT_EQ(triage(e).reason, "the guest flooded its console: more than 1000 bytes");
}

TEST(Triage, FromTheConsoleAlone) {
  EXPECT_EQ(triage({}).reason,
            "no serial output at all: the firmware did not start or the serial console is not "
            "connected");
  EXPECT_EQ(triage(console({"", "  "})).failure.category, "infrastructure");
  Triage not_run = triage(
      console({"SeaBIOS (version 1.16.2)", "Booting from Hard Disk...", "No bootable device."}));
  EXPECT_EQ(not_run.failure.category, "rom");
  EXPECT_EQ(not_run.reason, "iPXE never ran (not loaded: size, PCI ids or firmware type)");
  EXPECT_EQ(classify(console({"iPXE 1.21",
                              "Configuring (net0 00:50:56:00:00:01)...... "
                              "No configuration methods succeeded "
                              "(https://ipxe.org/040ee186)"}))
                .category,
            "configuration");
  EXPECT_EQ(
      triage(console({"iPXE 1.21", "net0: 10.0.0.10/255.255.255.0", "No more network devices"}))
          .reason,
      "iPXE found nothing to boot (no filename, no scriptlet)");
  EXPECT_EQ(
      triage(console({"SeaBIOS (version 1.16.2)", "iPXE", "SeaBIOS (version 1.16.2)"})).reason,
      "the VM crashed or rebooted during the boot");
  BootEvidence reset = console({"iPXE"});
  reset.events.push_back(
      {.kind = VmEvent::Kind::kPower, .name = "shutdown", .text = "guest-reset"});
  EXPECT_EQ(triage(reset).reason, "the VM crashed or rebooted during the boot");
  EXPECT_EQ(
      triage(console({"iPXE 1.21", "http://10.0.0.1/boot.ipxe... ok"}), {.timed_out = true}).reason,
      "iPXE started but the boot went no further before the timeout (last line: "
      "'http://10.0.0.1/boot.ipxe... ok')");
}

}  // namespace
}  // namespace rh

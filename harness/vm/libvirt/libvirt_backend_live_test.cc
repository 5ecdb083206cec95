// The libvirt backend through the VmBackend seam, against a real libvirtd:
// a BootPlan boots to iPXE on the live console; a host pool retries a
// scenario whose host was lost on another host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/core/testing/temp_dir.h"
#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/libvirt_backend.h"
#include "harness/vm/libvirt/live_test_support.h"
#include "harness/vm/libvirt/private_resolver.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using testing::eventually;
using testing::wait_for_line;

std::string my_prefix() { return std::string(kDomainPrefix) + DomainOwner::self("").token() + "_"; }

bool has_kind(const std::vector<VmEvent>& events, VmEvent::Kind kind) {
  return std::any_of(events.begin(), events.end(),
                     [&](const VmEvent& e) { return e.kind == kind; });
}

bool has_artifact(const VmSession& s, const std::string& name) {
  const auto a = s.artifacts();
  return std::any_of(a.begin(), a.end(),
                     [&](const Artifact& x) { return x.name == name && fs::exists(x.path); });
}

class LibvirtBackendLive : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::live_libvirt_missing()) GTEST_SKIP() << *why;
  }
  void TearDown() override {
    if (IsSkipped()) return;  // no daemon: nothing to ask, nothing was started
    for (const auto& name : testing::domains_named(my_prefix())) {
      ADD_FAILURE() << "domain left behind: " << name;
    }
  }
  LibvirtBackendConfig config(std::vector<HostEntry> hosts) {
    return {.hosts = std::move(hosts),
            .qemu = testing::patched_qemu(),
            .stage_root = testing::kTestStageRoot,
            .run_id = "backend-live-test"};
  }
  BootPlan plan(const std::string& name) {
    BootPlan p{.name = name, .nic = "e1000", .rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom"};
    p.network.boot_url = "http://10.0.2.2:9/romharness-backend.ipxe";
    p.artifacts_dir = tmp_.path() / name;
    return p;
  }
  testing::TempDir tmp_;
};

TEST_F(LibvirtBackendLive, BootsAPlanToIpxeOnTheLiveConsole) {
  LibvirtBackend backend(config({{.uri = testing::kSystemUri, .slots = 2}}));
  EXPECT_EQ(backend.lacks(Capability::kGuestRpc), std::nullopt);
  EXPECT_EQ(backend.lacks(Capability::kPacketCapture), std::nullopt);
  EXPECT_EQ(backend.lacks(Capability::kGuestRpcLog), std::nullopt);  // read live from the stage
  // A local host, as root: only a daemon without mount namespaces says no.
  EXPECT_EQ(backend.lacks(Capability::kDnsNames), qemu_mount_namespaces_off());
  BootPlan p = plan("backend/e1000-guestinfo");
  p.network.boot_url =
      "http://10.0.2.2:9/a-path-long-enough-to-cross-column-80/romharness-backend.ipxe";
  // Debian's ROM ignores guestinfo, but QEMU must take every argument that
  // carries it (fw_cfg files, slots, GuestRPC log, CPU vendor).
  p.guestinfo = {{"ipxe.net0.ip", "10.0.2.15"}, {"ipxe.scriptlet", "chain http://x/y,z"}};
  ASSERT_EQ(backend.check(p), std::nullopt);
  EXPECT_EQ(backend.endpoints(p).guest_host, "10.0.2.2");

  auto vm = backend.start(p, backend.endpoints(p));
  EXPECT_EQ(vm->host(), testing::kSystemUri);
  EXPECT_NE(wait_for_line(vm->console(), "iPXE"), "");
  // SeaBIOS's sercon breaks iPXE's lines at column 80; the console must join
  // them as the direct backend does, or a pattern spanning the break (an
  // error after a long URL) matches on one backend and not the other.
  // The line's end: a line seen before its continuation arrived is partial.
  EXPECT_EQ(wait_for_line(vm->console(), "romharness-backend.ipxe"),
            "Filename: " + p.network.boot_url);
  EXPECT_FALSE(vm->exited());
  std::vector<VmEvent> events = vm->poll_events();
  EXPECT_EQ(vm->stop(), "domain destroyed");
  for (auto& e : vm->poll_events()) events.push_back(e);
  EXPECT_TRUE(has_kind(events, VmEvent::Kind::kPower));
  EXPECT_TRUE(has_kind(events, VmEvent::Kind::kStderr)) << "QEMU's warnings from qemu.log";
  ASSERT_TRUE(vm->capture()) << vm->capture_missing();
  EXPECT_GT(fs::file_size(*vm->capture()), 24U);
  for (const char* name :
       {"serial.log", "domain.xml", "domain-live.xml", "qemu.log", "guestrpc.log"}) {
    EXPECT_TRUE(has_artifact(*vm, name)) << name;
  }
}

TEST_F(LibvirtBackendLive, ScenarioOfALostHostIsRetriedOnAnotherHost) {
  testing::LibvirtProxy proxy(tmp_.path());
  LibvirtBackend backend(
      config({{.uri = proxy.uri(), .slots = 1}, {.uri = testing::kSystemUri, .slots = 1}}));
  BootPlan p = plan("backend/host-lost");
  auto first = backend.start(p, backend.endpoints(p));
  ASSERT_EQ(first->host(), proxy.uri());  // both empty: the file's order
  ASSERT_NE(wait_for_line(first->console(), "iPXE"), "");
  ASSERT_GE(proxy.cut(), 1);
  std::vector<VmEvent> events;
  EXPECT_TRUE(eventually([&] {
    for (auto& e : first->poll_events()) events.push_back(e);
    return has_kind(events, VmEvent::Kind::kHostLost);
  }));
  EXPECT_FALSE(backend.pool().healthy(proxy.uri()));
  first->stop();

  p.artifacts_dir = tmp_.path() / "retry";
  auto retry = backend.start(p, backend.endpoints(p));  // what the runner does once after kHostLost
  EXPECT_EQ(retry->host(), testing::kSystemUri);
  EXPECT_NE(wait_for_line(retry->console(), "iPXE"), "");
  EXPECT_EQ(retry->stop(), "domain destroyed");
  EXPECT_TRUE(eventually([&] { return testing::domains_named(my_prefix()).empty(); }));
}

TEST_F(LibvirtBackendLive, RefusesWhatItCannotDo) {
  LibvirtBackend backend(config({{.uri = testing::kSystemUri, .slots = 1}}));
  BootPlan p = plan("backend/refuse");
  p.network.dns_names = {"boot.example"};
  EXPECT_EQ(backend.check(p), qemu_mount_namespaces_off()) << "dns_names on this machine, as root";
  EXPECT_NE(backend.endpoints(p).dns_bind, "") << "no responder address for dns_names";
  p = plan("backend/refuse");
  p.nic = "pcnet";
  EXPECT_NE(backend.check(p).value_or("").find("unknown NIC 'pcnet'"), std::string::npos);
  p = plan("backend/refuse");
  p.guestinfo = {{std::string(50, 'k'), "v"}};
  EXPECT_NE(backend.check(p).value_or("").find("longer than 55"), std::string::npos);
}

}  // namespace
}  // namespace rh

// What the libvirt backend refuses before it talks to any host.
#include "harness/vm/libvirt/libvirt_backend.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

std::string input_error(const BackendOptions& o) {
  try {
    make_libvirt_backend(o);
  } catch (const InputError& e) {
    return e.what();
  } catch (const SetupError& e) {
    return std::string("SetupError: ") + e.what();
  }
  return "";
}

TEST(LibvirtBackendConfig, RemoteConnectNeedsAHostsFile) {
  EXPECT_NE(input_error({.connect = "qemu+ssh://lab-3/system"}).find("list it in a --hosts file"),
            std::string::npos);
}

TEST(LibvirtBackendConfig, RemoteHostsNeedServerAddresses) {
  testing::TempDir tmp;
  const auto hosts =
      tmp.write("hosts.txt", "qemu+ssh://lab-3/system slots=2 pool=rh emulator=/opt/qemu\n");
  EXPECT_NE(input_error({.hosts_file = hosts}).find("--server-advertise"), std::string::npos);
}

TEST(LibvirtBackendConfig, HostsAndConnectExcludeEachOther) {
  testing::TempDir tmp;
  const auto hosts = tmp.write("hosts.txt", "qemu:///system\n");
  EXPECT_EQ(input_error({.connect = "qemu:///system", .hosts_file = hosts}),
            "--hosts and --connect exclude each other");
}

TEST(LibvirtBackendConfig, BadHostsFileNamesItsLine) {
  testing::TempDir tmp;
  const auto hosts = tmp.write("hosts.txt", "qemu:///system slots=two\n");
  EXPECT_EQ(input_error({.hosts_file = hosts}),
            hosts.string() + ":1: slots must be a number from 1 to 1024, got 'two'");
}

TEST(LibvirtBackendConfig, AccelIsChecked) {
  EXPECT_EQ(input_error({.accel = "hvf"}), "--accel must be auto, tcg or kvm, got 'hvf'");
}

TEST(LibvirtBackendConfig, ConnectDefaultsToSystem) {
  const LibvirtBackendConfig c = libvirt_config({});
  ASSERT_EQ(c.hosts.size(), 1U);
  EXPECT_EQ(c.hosts[0].uri, "qemu:///system");
}

}  // namespace
}  // namespace rh

#include "harness/vm/libvirt/private_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

TEST(PrivateResolver, MountsTheFileOverResolvConfInQemusNamespace) {
  EXPECT_EQ(
      bind_resolv_conf_argv(4242, "/var/lib/libvirt/romharness/d/resolv.conf"),
      (std::vector<std::string>{"nsenter", "--mount=/proc/4242/ns/mnt", "--", "mount", "--bind",
                                "/var/lib/libvirt/romharness/d/resolv.conf", "/etc/resolv.conf"}));
}

TEST(PrivateResolver, ReadsQemusPidFromLibvirtsRunDirectory) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "romharness_d.pid") << "31337\n";
  EXPECT_EQ(local_qemu_pid("romharness_d", dir.path()), 31337);
}

TEST(PrivateResolver, AMissingPidFileNamesIt) {
  testing::TempDir dir;
  try {
    local_qemu_pid("romharness_gone", dir.path());
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find((dir.path() / "romharness_gone.pid").string()),
              std::string::npos)
        << e.what();
  }
}

// A QEMU in this process's own mount namespace would have the machine's
// resolv.conf mounted over: refused before any mount.
TEST(PrivateResolver, RefusesAProcessThatSharesOurMountNamespace) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "romharness_here.pid") << ::getpid() << "\n";
  try {
    give_private_resolv_conf("romharness_here", dir.path() / "resolv.conf", dir.path());
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("shares this machine's mount namespace"),
              std::string::npos)
        << e.what();
  }
}

TEST(PrivateResolver, QemuConfWithoutMountNamespacesRulesDnsNamesOut) {
  testing::TempDir dir;
  const auto conf = dir.path() / "qemu.conf";
  std::ofstream(conf) << "# namespaces = []\nuser = \"libvirt-qemu\"\n";
  EXPECT_EQ(qemu_mount_namespaces_off(conf), std::nullopt) << "a comment is not a setting";
  std::ofstream(conf, std::ios::app) << "  namespaces = [ ]  # in a chroot\n";
  const auto why = qemu_mount_namespaces_off(conf);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find(conf.string()), std::string::npos) << *why;
  EXPECT_EQ(qemu_mount_namespaces_off(dir.path() / "missing.conf"), std::nullopt)
      << "libvirt's default is on";
  std::ofstream(conf) << "namespaces = [ \"mount\" ]\n";
  EXPECT_EQ(qemu_mount_namespaces_off(conf), std::nullopt);
}

}  // namespace
}  // namespace rh

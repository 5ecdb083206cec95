#include "harness/vm/qemu/qemu_leftovers.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "harness/core/owner.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

// The owner tag of a process that has exited (and been reaped).
std::string dead_owner() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return this_host_name() + ":" + std::to_string(child) + ":1";
}

TEST(QemuLeftovers, RemovesOnlyDirectoriesWhoseOwnerIsGone) {
  testing::TempDir tmp;
  tmp.write("rh-dead/owner", dead_owner() + "\n");
  tmp.write("rh-dead/qmp.sock", "");
  tmp.write("rh-alive/owner", this_process_owner() + "\n");
  tmp.write("rh-other-host/owner", "elsewhere:1:1\n");
  tmp.write("rh-no-owner/qmp.sock", "");
  tmp.write("unrelated/owner", dead_owner() + "\n");
  const auto removed = sweep_socket_dirs(tmp.path());
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_NE(removed[0].find("rh-dead"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp.path() / "rh-dead"));
  for (const char* kept : {"rh-alive", "rh-other-host", "rh-no-owner", "unrelated"}) {
    EXPECT_TRUE(fs::exists(tmp.path() / kept)) << kept;
  }
}

}  // namespace
}  // namespace rh
